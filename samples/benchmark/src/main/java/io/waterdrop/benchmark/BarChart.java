package io.waterdrop.benchmark;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import javax.imageio.ImageIO;

/**
 * A grouped bar chart of medians with min–max whiskers, one bar per client in each group: msg/s per producer count
 * (seed, bulk, many), or milliseconds per percentile (latency, first-message). Plain Java2D, so the benchmark needs
 * no chart library.
 */
public final class BarChart {

    static final int WIDTH = 1000;
    static final int HEIGHT = 560;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 70;
    private static final int BOTTOM = 70;
    private static final Map<Variant, Color> COLORS = Map.of(
            Variant.WATERDROP_THREAD, new Color(0x9e, 0x9e, 0x9e),
            Variant.WATERDROP_FD, new Color(0x1f, 0x77, 0xb4),
            Variant.KAFKA_CLIENTS_DEFAULT, new Color(0xf5, 0xb0, 0x6b),
            Variant.KAFKA_CLIENTS_TUNED, new Color(0xd6, 0x5f, 0x0e),
            Variant.C, new Color(0x2c, 0xa0, 0x2c));

    /** What one chart shows: a value per (group, variant). */
    private record Bars(List<String> groups, Set<Variant> variants, BiFunction<String, Variant, Optional<Stats>> value,
            String yLabel, String xLabel) {
    }

    private BarChart() {
    }

    public static void write(Path file, Scenario scenario, List<Summary> summaries, String title, String subtitle)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        BufferedImage image = render(scenario, summaries, title, subtitle);
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }

    private static Bars bars(Scenario scenario, List<Summary> summaries) {
        Set<Variant> variants = MarkdownReport.variants(summaries);
        if (scenario.measuresThroughput()) {
            List<String> groups = MarkdownReport.producerCounts(summaries).stream().map(p -> "P = " + p).toList();
            return new Bars(groups, variants, (group, v) -> MarkdownReport.find(summaries, v,
                    Integer.parseInt(group.substring(4))).map(Summary::msgsPerSec),
                    "msg/s (median, whiskers min–max)", scenario == Scenario.MANY
                            ? "producers (on one Poller)" : "producers (one application thread each)");
        }
        List<String> groups = scenario == Scenario.LATENCY ? List.of("p50", "p99", "p99.9", "max")
                : scenario == Scenario.TRANSACTION ? List.of("min", "p50", "p99", "max")
                : List.of("min", "p50", "max");
        return new Bars(groups, variants, (group, v) -> summaries.stream().filter(s -> s.variant() == v)
                .filter(Summary::hasLatency).findFirst().map(s -> s.latencyMillis().get(group)),
                "ms (median of rounds, whiskers min–max)", scenario == Scenario.LATENCY
                        ? "produce → acknowledgement percentile" : scenario == Scenario.TRANSACTION
                        ? "transaction() → commit returned, one producer"
                        : "connect → first acknowledgement, fresh producers");
    }

    static BufferedImage render(Scenario scenario, List<Summary> summaries, String title, String subtitle) {
        Bars bars = bars(scenario, summaries);
        // Headroom above the highest whisker keeps the legend clear of the bars.
        double top = 1.15 * bars.groups().stream().flatMap(g -> bars.variants().stream()
                .map(v -> bars.value().apply(g, v))).flatMap(Optional::stream).mapToDouble(Stats::max).max()
                .orElse(1);
        double step = niceStep(top / 6);
        double yMax = Math.ceil(top / step) * step;

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);

            int plotW = WIDTH - LEFT - RIGHT;
            int plotH = HEIGHT - TOP - BOTTOM;
            int baseY = TOP + plotH;

            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString(title, LEFT, 28);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(subtitle, LEFT, 48);

            // Grid and y axis labels.
            FontMetrics fm = g.getFontMetrics();
            for (double v = 0; v <= yMax + step / 2; v += step) {
                int y = baseY - (int) Math.round(v / yMax * plotH);
                g.setColor(new Color(0xe6, 0xe6, 0xe6));
                g.drawLine(LEFT, y, LEFT + plotW, y);
                g.setColor(Color.DARK_GRAY);
                String label = axisLabel(v, step);
                g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + fm.getAscent() / 2 - 1);
            }
            g.setColor(Color.BLACK);
            g.drawLine(LEFT, TOP, LEFT, baseY);
            g.drawLine(LEFT, baseY, LEFT + plotW, baseY);
            drawRotated(g, bars.yLabel(), 22, TOP + plotH / 2);

            int series = Math.max(1, bars.variants().size());
            int groupW = plotW / Math.max(1, bars.groups().size());
            int barW = Math.max(6, (int) (groupW * 0.8 / series));
            int gi = 0;
            for (String group : bars.groups()) {
                int groupX = LEFT + gi * groupW + (groupW - barW * series) / 2;
                int mi = 0;
                for (Variant variant : bars.variants()) {
                    int x = groupX + mi * barW;
                    Color color = COLORS.get(variant);
                    bars.value().apply(group, variant).ifPresent(s -> {
                        int h = (int) Math.round(s.median() / yMax * plotH);
                        g.setColor(color);
                        g.fillRect(x + 2, baseY - h, barW - 4, h);
                        int yMin = baseY - (int) Math.round(s.min() / yMax * plotH);
                        int yTop = baseY - (int) Math.round(s.max() / yMax * plotH);
                        int cx = x + barW / 2;
                        g.setColor(Color.BLACK);
                        g.setStroke(new BasicStroke(1.2f));
                        g.drawLine(cx, yMin, cx, yTop);
                        g.drawLine(cx - 4, yMin, cx + 4, yMin);
                        g.drawLine(cx - 4, yTop, cx + 4, yTop);
                        // The median's value sits inside the top of its bar, or above the whisker when the bar is
                        // too short or too narrow to hold it.
                        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 10));
                        String label = valueLabel(s.median());
                        FontMetrics small = g.getFontMetrics();
                        int lx = x + barW / 2 - small.stringWidth(label) / 2;
                        if (h > 2 * small.getHeight() && small.stringWidth(label) < barW - 4) {
                            g.setColor(color); // the whisker pauses behind the value
                            g.fillRect(lx - 1, baseY - h + 4, small.stringWidth(label) + 2, small.getHeight());
                            g.setColor(variant == Variant.WATERDROP_THREAD
                                    || variant == Variant.KAFKA_CLIENTS_DEFAULT ? Color.BLACK : Color.WHITE);
                            g.drawString(label, lx, baseY - h + 4 + small.getAscent());
                        } else {
                            g.setColor(Color.BLACK);
                            g.drawString(label, lx, Math.min(yTop, baseY - h) - 4);
                        }
                    });
                    mi++;
                }
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
                FontMetrics axis = g.getFontMetrics();
                g.drawString(group, LEFT + gi * groupW + (groupW - axis.stringWidth(group)) / 2, baseY + 20);
                gi++;
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            FontMetrics axis = g.getFontMetrics();
            g.drawString(bars.xLabel(), LEFT + (plotW - axis.stringWidth(bars.xLabel())) / 2, baseY + 45);

            // Legend, top right inside the plot, on white so grid lines do not run through it.
            int legendW = bars.variants().stream().mapToInt(v -> axis.stringWidth(v.label()) + 34).sum();
            int lx = LEFT + plotW - legendW - 10;
            g.setColor(Color.WHITE);
            g.fillRect(lx - 8, TOP + 4, legendW + 8, 24);
            for (Variant variant : bars.variants()) {
                g.setColor(COLORS.get(variant));
                g.fillRect(lx, TOP + 9, 14, 14);
                g.setColor(Color.BLACK);
                g.drawString(variant.label(), lx + 20, TOP + 21);
                lx += axis.stringWidth(variant.label()) + 34;
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Whole numbers with grouping, or two decimals below 10 (milliseconds). */
    private static String valueLabel(double value) {
        return value >= 10 ? MarkdownReport.grouped(value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String axisLabel(double value, double step) {
        return step >= 1 ? MarkdownReport.grouped(value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static void drawRotated(Graphics2D g, String text, int x, int y) {
        Graphics2D r = (Graphics2D) g.create();
        try {
            r.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            r.rotate(-Math.PI / 2, x, y);
            r.drawString(text, x - r.getFontMetrics().stringWidth(text) / 2, y);
        } finally {
            r.dispose();
        }
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        if (raw <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= raw) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
