package io.waterdrop;

/**
 * Run in a forked JVM by {@link NativeLibraryLoadingTest}: builds a producer twice, as an application would, so the
 * test sees exactly what a user sees when librdkafka is missing. The first failure is printed, the second is left
 * uncaught (the JVM prints it and exits with status 1). With a working librdkafka it prints the version.
 */
public final class ProducerBuildingMain {

    private ProducerBuildingMain() {
    }

    public static void main(String[] args) {
        try {
            new Producer(ProducerConfig.builder().build()).close();
        } catch (LibraryUnavailableException e) {
            System.out.println("attempt 1: " + e.getMessage());
        }
        new Producer(ProducerConfig.builder().build()).close();
        System.out.println("librdkafka " + Producer.librdkafkaVersion());
    }
}
