package io.helios.controlplane.preflight;

/** Which end of a replication an endpoint is checked as. */
public enum Role { SOURCE, TARGET }
