/**
 * Failure analyzers that turn WaterDrop startup failures into Spring Boot's "what is wrong, what to do" report.
 */
package io.waterdrop.spring.internal.diagnostics;
