package io.helios.controlplane.qos;

/** Compression level of batches that travel between regions. */
public enum Compression {
    LOW, MEDIUM, HIGH
}
