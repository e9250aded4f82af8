/**
 * Internals of the starter (producer assembly, lifecycle, environment post-processing); not API.
 */
package io.waterdrop.spring.internal;
