/**
 * Slots and publications on a source, shared by both capture engines, the worker that creates
 * them and the control plane that drops them: {@link io.helios.postgres.slot.ReplicationNames}
 * names them, {@link io.helios.postgres.slot.Publications} creates and reconciles a tenant's
 * publication, {@link io.helios.postgres.slot.ReplicationSlots} creates a slot with an exported
 * snapshot ({@link io.helios.postgres.slot.SlotSnapshot}), looks one up and drops it. How a
 * tenant scope becomes a publication clause stays package-private.
 */
package io.helios.postgres.slot;
