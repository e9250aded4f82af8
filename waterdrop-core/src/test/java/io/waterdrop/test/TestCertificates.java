package io.waterdrop.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} made by the JDK's {@code keytool} at test time (nothing is
 * committed): a PKCS12 keystore for the broker, and the certificate as PEM for librdkafka's {@code ssl.ca.location}
 * or {@code ssl.ca.pem} (a self-signed certificate is its own CA).
 *
 * @param keystore the broker's PKCS12 keystore
 * @param password the keystore's (and key's) password
 * @param caPem the certificate, PEM
 */
public record TestCertificates(Path keystore, String password, Path caPem) {

    /** Makes a key pair and self-signed certificate for CN {@code commonName} (SAN localhost, 127.0.0.1) in {@code dir}. */
    public static TestCertificates selfSigned(Path dir, String commonName) {
        Path keystore = dir.resolve(commonName + ".p12");
        Path pem = dir.resolve(commonName + ".pem");
        String password = "test-" + Long.toHexString(System.nanoTime());
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + commonName, "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", password);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", password,
                "-file", pem.toString());
        return new TestCertificates(keystore, password, pem);
    }

    /** The certificate's PEM text (for {@code ssl.ca.pem}). */
    public String caPemText() {
        try {
            return Files.readString(caPem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh private temp directory for certificates. */
    public static Path newDirectory() {
        try {
            return Files.createTempDirectory("waterdrop-certs-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
