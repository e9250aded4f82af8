/**
 * Auto-configuration of WaterDrop producers and Pollers. Nothing here is meant to be used directly.
 */
package io.waterdrop.spring.autoconfigure;
