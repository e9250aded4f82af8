/**
 * WaterDrop for Spring Boot: {@link io.waterdrop.spring.WaterDropProperties} ({@code waterdrop.*}), the
 * {@link io.waterdrop.spring.WaterDropProducers} and {@link io.waterdrop.spring.WaterDropPollers} registries, the
 * {@link io.waterdrop.spring.WaterDropProducerCustomizer} hook and the startup failures the starter reports.
 */
package io.waterdrop.spring;
