package dev.latchkey.bench.lab;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress on stderr while a sale runs: on a terminal, a bar redrawn in place four times a
 * second; elsewhere (a pipe, CI logs) one line when a sale starts and nothing more.
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean enabled;
    private final boolean terminal;
    /** Written by the lab thread, read by the drawing thread: volatile. */
    private volatile boolean running;
    private Thread drawer;

    private ProgressBar(PrintStream out, boolean enabled, boolean terminal) {
        this.out = out;
        this.enabled = enabled;
        this.terminal = terminal;
    }

    /**
     * A progress display for the options.
     *
     * @param options the lab's options
     * @return a bar on a terminal, simple lines otherwise, nothing with {@code --no-progress}
     */
    static ProgressBar forOptions(LabOptions options) {
        return new ProgressBar(System.err, options.progress() != LabOptions.Progress.NONE, System.console() != null);
    }

    /** @return a display that shows nothing */
    static ProgressBar none() {
        return new ProgressBar(System.err, false, false);
    }

    /**
     * Starts showing a sale's progress.
     *
     * @param title the strategy's title
     * @param startNanos when the sale started ({@link System#nanoTime()})
     * @param durationNanos the sale's longest duration
     * @param requests how many requests have been answered so far
     * @param unitsSold how many units clients were told they bought
     * @param unitsAvailable units on sale
     */
    void start(String title, long startNanos, long durationNanos, LongSupplier requests, LongSupplier unitsSold,
               long unitsAvailable) {
        if (!enabled) {
            return;
        }
        if (!terminal) {
            out.printf(Locale.ROOT, "running %s for up to %.1fs...%n", title, durationNanos / 1e9);
            out.flush();
            return;
        }
        running = true;
        drawer = new Thread(() -> {
            while (running) {
                draw(title, startNanos, durationNanos, requests.getAsLong(), unitsSold.getAsLong(), unitsAvailable);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "lab-progress");
        drawer.setDaemon(true);
        drawer.start();
    }

    private void draw(String title, long startNanos, long durationNanos, long requests, long sold, long available) {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double fraction = Math.min(1.0, Math.max(elapsed / (durationNanos / 1e9), (double) sold / available));
        int filled = (int) Math.round(fraction * WIDTH);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        out.printf(Locale.ROOT, "\r%-22s [%s] %5.1fs  %,9d requests  %,7d / %,d sold ", title, bar, elapsed, requests,
                sold, available);
        out.flush();
    }

    /** Stops the bar and clears its line. */
    void stop() {
        if (!enabled || !terminal) {
            return;
        }
        running = false;
        if (drawer != null) {
            drawer.interrupt();
            try {
                drawer.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            drawer = null;
        }
        out.print("\r" + " ".repeat(100) + "\r");
        out.flush();
    }
}
