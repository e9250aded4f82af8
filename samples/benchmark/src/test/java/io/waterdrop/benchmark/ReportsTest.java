package io.waterdrop.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.waterdrop.PollingMode;
import java.awt.image.BufferedImage;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {

    private static final List<RoundResult> ROUNDS = List.of(
            new RoundResult(PollingMode.THREAD, 5, 1_000, 100, 1, 125_000_000L, 5, 20, 62_500_000L, 3 << 20,
                    40_000_000L, 0, 0, 0, 250, 0, 0, -1),
            new RoundResult(PollingMode.FD, 5, 1_000, 100, 1, 100_000_000L, 1, 16, 50_000_000L, 1 << 20,
                    -1, 42, 3, 0, 90, 2_000_000_000L, 10_000_000L, 30));

    @Test
    void csvHasTheRequiredColumnsAndOneRowPerRound() throws Exception {
        StringWriter out = new StringWriter();

        CsvReport.write(out, ROUNDS);

        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).split(",")).startsWith("client", "mode", "producers", "messages", "payload_bytes",
                "round").contains("msgs_per_sec", "threads_added", "os_threads_added", "cpu_ms", "rss_mb",
                "ctx_switches", "idle_cpu_ms_per_s", "idle_ctx_switches_per_s");
        assertThat(lines.get(1)).isEqualTo(
                "waterdrop,thread,5,1000,100,1,125.000,40000.0,5,20,62.5,12.500,3.00,40.0,0,0,0,250,-1.000,-1.0");
        assertThat(lines.get(2)).isEqualTo(
                "waterdrop,fd,5,1000,100,1,100.000,50000.0,1,16,50.0,10.000,1.00,-1.0,42,3,0,90,5.000,15.0");
    }

    @Test
    void csvNumbersIgnoreTheDefaultLocale() throws Exception {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            StringWriter out = new StringWriter();
            CsvReport.write(out, ROUNDS);
            assertThat(out.toString()).contains(",62.5,").doesNotContain(",62,5,");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void csvFileIsWrittenWithItsDirectories(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nested/results.csv");

        CsvReport.write(file, ROUNDS);

        assertThat(Files.readAllLines(file)).hasSize(3).first().isEqualTo(CsvReport.HEADER);
    }

    @Test
    void markdownShowsModesSideBySideWithTheDifference() {
        String table = MarkdownReport.render(Summary.of(ROUNDS));

        assertThat(table).contains("| Producers | thread msg/s (median) | thread min – max | fd msg/s (median) | "
                + "fd min – max | fd vs thread |");
        assertThat(table).contains("| 5 | 40,000 | 40,000 – 40,000 | 50,000 | 50,000 – 50,000 | +25% |");
        assertThat(table).contains("| Idle CPU ms/s | Idle context switches/s |");
        assertThat(table).contains("| 5 | thread | 5 | 20 | 63 | 12.50 | 3.0 | 40 | 250 | – | – | – | – |");
        assertThat(table).contains("| 5 | fd | 1 | 16 | 50 | 10.00 | 1.0 | – | 90 | 42 | 3 | 5.00 | 15 |");
        assertThat(table).doesNotContain("FAILED");
    }

    @Test
    void markdownFlagsFailedDeliveries() {
        RoundResult failed = new RoundResult(PollingMode.FD, 1, 10, 100, 1, 1_000_000L, 1, 4, 1, 0, -1, 1, 0, 2,
                -1, 0, 0, -1);

        assertThat(MarkdownReport.render(Summary.of(List.of(failed))))
                .contains("2 deliveries FAILED: these numbers are not valid.")
                .doesNotContain("Idle CPU")
                .doesNotContain("fd vs thread");
    }

    @Test
    void chartIsAPngOfTheExpectedSize(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("chart.png");

        BarChart.write(file, Summary.of(ROUNDS), "title", "subtitle");

        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(BarChart.WIDTH);
        assertThat(image.getHeight()).isEqualTo(BarChart.HEIGHT);
    }

    @Test
    void axisStepsAreOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen() {
        assertThat(BarChart.niceStep(7_300)).isEqualTo(10_000);
        assertThat(BarChart.niceStep(1_600)).isEqualTo(2_000);
        assertThat(BarChart.niceStep(2_100)).isEqualTo(2_500);
        assertThat(BarChart.niceStep(45)).isEqualTo(50);
        assertThat(BarChart.niceStep(100)).isEqualTo(100);
    }
}
