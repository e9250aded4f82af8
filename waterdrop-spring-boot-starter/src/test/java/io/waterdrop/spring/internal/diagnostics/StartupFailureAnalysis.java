package io.waterdrop.spring.internal.diagnostics;

import java.util.List;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

/**
 * Analyzes a startup failure the way Spring Boot does when an application fails to start: every
 * {@link FailureAnalyzer} registered in {@code spring.factories} (Boot's and ours), in order, first answer wins.
 */
final class StartupFailureAnalysis {

    private StartupFailureAnalysis() {
    }

    static FailureAnalysis analyze(Throwable failure) {
        ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
            .and(Environment.class, new StandardEnvironment());
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
            .load(FailureAnalyzer.class, arguments, FailureHandler.handleMessage((message, ignored) -> {
                // Like Boot: analyzers whose optional dependencies are absent (e.g. spring-web) are skipped.
            }));
        for (FailureAnalyzer analyzer : analyzers) {
            FailureAnalysis analysis = analyzer.analyze(failure);
            if (analysis != null) {
                return analysis;
            }
        }
        throw new AssertionError("No FailureAnalyzer explains " + failure);
    }
}
