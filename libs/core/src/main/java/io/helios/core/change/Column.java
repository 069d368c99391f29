package io.helios.core.change;

/**
 * One column of a relation as the capture side sees it.
 *
 * @param name     column name
 * @param typeOid  the source type's OID
 * @param typeMod  the source type modifier (-1 when none)
 * @param key      whether the column is part of the replica identity (primary key by default)
 */
public record Column(String name, int typeOid, int typeMod, boolean key) {
}
