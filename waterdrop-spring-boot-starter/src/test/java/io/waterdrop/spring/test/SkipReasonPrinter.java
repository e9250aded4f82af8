package io.waterdrop.spring.test;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints why a test or test class was skipped: surefire's console only counts skipped tests, and a test skipped
 * for lack of a Docker engine must say so in the build log. Registered through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class SkipReasonPrinter implements TestExecutionListener {

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        System.out.println("SKIPPED " + test.getLegacyReportingName() + ": " + reason);
    }
}
