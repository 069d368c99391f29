package io.helios.pgoutput;

import io.helios.core.change.Relation;

import java.util.HashMap;
import java.util.Map;

/**
 * Relations of one stream by oid. Rows of a transaction mostly touch one table, so the last
 * hit is kept aside: the common lookup neither boxes the oid nor hashes. Not thread-safe.
 */
final class RelationCache {

    private final Map<Integer, Relation> byOid = new HashMap<>();
    private Relation last;

    Relation get(int oid) {
        Relation hit = last;
        if (hit != null && hit.oid() == oid) {
            return hit;
        }
        Relation found = byOid.get(oid);
        if (found != null) {
            last = found;
        }
        return found;
    }

    void put(Relation relation) {
        byOid.put(relation.oid(), relation);
        last = relation;
    }
}
