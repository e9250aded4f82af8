package io.waterdrop.benchmark;

import io.waterdrop.PollingMode;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * A grouped bar chart of the median msg/s per producer count, one bar per mode, with min–max whiskers. Plain
 * Java2D, so the benchmark needs no chart library.
 */
public final class BarChart {

    static final int WIDTH = 1000;
    static final int HEIGHT = 560;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 70;
    private static final int BOTTOM = 70;
    private static final Color THREAD_COLOR = new Color(0x9e, 0x9e, 0x9e);
    private static final Color FD_COLOR = new Color(0x1f, 0x77, 0xb4);

    private BarChart() {
    }

    public static void write(Path file, List<Summary> summaries, String title, String subtitle) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        BufferedImage image = render(summaries, title, subtitle);
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }

    static BufferedImage render(List<Summary> summaries, String title, String subtitle) {
        Set<Integer> ps = new LinkedHashSet<>();
        Set<PollingMode> modes = new LinkedHashSet<>();
        summaries.forEach(s -> {
            ps.add(s.producers());
            modes.add(s.mode());
        });
        // Headroom above the highest whisker keeps the legend clear of the bars.
        double top = 1.1 * summaries.stream().mapToDouble(s -> s.msgsPerSec().max()).max().orElse(1);
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
                String label = MarkdownReport.grouped(v);
                g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + fm.getAscent() / 2 - 1);
            }
            g.setColor(Color.BLACK);
            g.drawLine(LEFT, TOP, LEFT, baseY);
            g.drawLine(LEFT, baseY, LEFT + plotW, baseY);
            drawRotated(g, "msg/s (median, whiskers min–max)", 22, TOP + plotH / 2);

            int groups = Math.max(1, ps.size());
            int groupW = plotW / groups;
            int barW = Math.max(6, (int) (groupW * 0.7 / Math.max(1, modes.size())));
            int gi = 0;
            for (int p : ps) {
                int groupX = LEFT + gi * groupW + (groupW - barW * modes.size()) / 2;
                int mi = 0;
                for (PollingMode mode : modes) {
                    int x = groupX + mi * barW;
                    Color color = colorOf(mode);
                    summaries.stream().filter(s -> s.producers() == p && s.mode() == mode).findFirst().ifPresent(s -> {
                        int h = (int) Math.round(s.msgsPerSec().median() / yMax * plotH);
                        g.setColor(color);
                        g.fillRect(x + 2, baseY - h, barW - 4, h);
                        int yMin = baseY - (int) Math.round(s.msgsPerSec().min() / yMax * plotH);
                        int yTop = baseY - (int) Math.round(s.msgsPerSec().max() / yMax * plotH);
                        int cx = x + barW / 2;
                        g.setColor(Color.BLACK);
                        g.setStroke(new BasicStroke(1.2f));
                        g.drawLine(cx, yMin, cx, yTop);
                        g.drawLine(cx - 4, yMin, cx + 4, yMin);
                        g.drawLine(cx - 4, yTop, cx + 4, yTop);
                        // The median's value sits inside the top of its bar (white), or above the whisker when the
                        // bar is too short to hold it.
                        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 10));
                        String label = MarkdownReport.grouped(s.msgsPerSec().median());
                        FontMetrics small = g.getFontMetrics();
                        int lx = x + barW / 2 - small.stringWidth(label) / 2;
                        if (h > 2 * small.getHeight() && small.stringWidth(label) < barW - 4) {
                            g.setColor(color); // the whisker pauses behind the value
                            g.fillRect(lx - 1, baseY - h + 4, small.stringWidth(label) + 2, small.getHeight());
                            g.setColor(mode == PollingMode.FD ? Color.WHITE : Color.BLACK);
                            g.drawString(label, lx, baseY - h + 4 + small.getAscent());
                        } else {
                            g.drawString(label, lx, Math.min(yTop, baseY - h) - 4);
                        }
                    });
                    mi++;
                }
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
                FontMetrics axis = g.getFontMetrics();
                String label = "P = " + p;
                g.drawString(label, LEFT + gi * groupW + (groupW - axis.stringWidth(label)) / 2, baseY + 20);
                gi++;
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString("producers (one application thread each)", LEFT + plotW / 2 - 120, baseY + 45);

            // Legend, top right inside the plot, on white so grid lines do not run through it.
            int lx = LEFT + plotW - 110 * modes.size() - 10;
            g.setColor(Color.WHITE);
            g.fillRect(lx - 8, TOP + 4, 110 * modes.size() + 8, 24);
            int mi = 0;
            for (PollingMode mode : modes) {
                g.setColor(colorOf(mode));
                g.fillRect(lx + mi * 110, TOP + 9, 14, 14);
                g.setColor(Color.BLACK);
                g.drawString(mode + " mode", lx + mi * 110 + 20, TOP + 21);
                mi++;
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static Color colorOf(PollingMode mode) {
        return mode == PollingMode.FD ? FD_COLOR : THREAD_COLOR;
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
