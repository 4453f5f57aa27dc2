package io.loyaltylakehouse.dbt.graph;

import io.loyaltylakehouse.dbt.project.Manifest;
import io.loyaltylakehouse.dbt.project.Node;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The project DAG over nodes and sources (edges parent -> child), with ancestor/descendant walks. */
public final class Graph {
    private final Map<String, Set<String>> parents = new HashMap<>();
    private final Map<String, Set<String>> children = new HashMap<>();

    public Graph(final Manifest manifest) {
        manifest.sources().keySet().forEach(this::vertex);
        for (final Node node : manifest.all()) {
            vertex(node.uniqueId());
            node.dependsOn().forEach(parent -> edge(parent, node.uniqueId()));
        }
    }

    /** An empty graph for building execution graphs. */
    Graph() {
    }

    final void vertex(final String id) {
        parents.computeIfAbsent(id, k -> new TreeSet<>());
        children.computeIfAbsent(id, k -> new TreeSet<>());
    }

    final void edge(final String from, final String to) {
        vertex(from);
        vertex(to);
        children.get(from).add(to);
        parents.get(to).add(from);
    }

    public Set<String> vertices() {
        return parents.keySet();
    }

    public Set<String> parents(final String id) {
        return parents.getOrDefault(id, Set.of());
    }

    public Set<String> children(final String id) {
        return children.getOrDefault(id, Set.of());
    }

    /** Ancestors up to {@code depth} generations (negative = all). */
    public Set<String> ancestors(final String id, final int depth) {
        return walk(id, depth, parents);
    }

    public Set<String> descendants(final String id, final int depth) {
        return walk(id, depth, children);
    }

    private static Set<String> walk(final String start, final int depth, final Map<String, Set<String>> edges) {
        final Set<String> seen = new LinkedHashSet<>();
        Deque<String> frontier = new ArrayDeque<>(List.of(start));
        int generation = 0;
        while (!frontier.isEmpty() && (depth < 0 || generation < depth)) {
            final Deque<String> next = new ArrayDeque<>();
            for (final String id : frontier) {
                for (final String other : edges.getOrDefault(id, Set.of())) {
                    if (seen.add(other)) {
                        next.add(other);
                    }
                }
            }
            frontier = next;
            generation++;
        }
        return seen;
    }
}
