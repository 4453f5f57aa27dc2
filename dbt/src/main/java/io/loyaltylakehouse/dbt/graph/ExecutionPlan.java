package io.loyaltylakehouse.dbt.graph;

import io.loyaltylakehouse.dbt.project.Manifest;
import io.loyaltylakehouse.dbt.project.Node;
import io.loyaltylakehouse.dbt.project.ResourceType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The order dbt runs selected nodes in with one thread: the selected subgraph (edges kept through unselected
 * nodes), in {@code build} extra edges from each test to the children of the node it tests, then a queue ordered
 * by DAG depth then unique_id.
 */
public final class ExecutionPlan {
    private final Graph graph = new Graph();
    private final List<String> order;

    private ExecutionPlan(final Manifest manifest, final Graph full, final Set<String> selected, final boolean testEdges) {
        for (final String id : selected) {
            graph.vertex(id);
            nearestSelectedAncestors(full, id, selected).forEach(parent -> graph.edge(parent, id));
        }
        if (testEdges) {
            addTestEdges(manifest, full, selected);
        }
        order = List.copyOf(computeOrder());
    }

    public static ExecutionPlan of(final Manifest manifest, final Graph full, final Set<String> selected,
                                   final boolean testEdges) {
        return new ExecutionPlan(manifest, full, selected, testEdges);
    }

    /** Selected node ids in run order. */
    public List<String> order() {
        return order;
    }

    private List<String> computeOrder() {
        // depth = longest path from a root, known before any node enters the queue
        final Map<String, Integer> depth = new HashMap<>();
        for (final String id : kahn()) {
            depth.put(id, graph.parents(id).stream().mapToInt(p -> depth.get(p) + 1).max().orElse(0));
        }
        final Map<String, Integer> waiting = new HashMap<>();
        graph.vertices().forEach(id -> waiting.put(id, graph.parents(id).size()));
        final PriorityQueue<String> ready = new PriorityQueue<>(Comparator.<String>comparingInt(depth::get)
                .thenComparing(Comparator.naturalOrder()));
        graph.vertices().stream().filter(id -> waiting.get(id) == 0).forEach(ready::add);
        final List<String> topological = new ArrayList<>();
        while (!ready.isEmpty()) {
            final String id = ready.poll();
            topological.add(id);
            for (final String child : graph.children(id)) {
                if (waiting.merge(child, -1, Integer::sum) == 0) {
                    ready.add(child);
                }
            }
        }
        if (topological.size() != graph.vertices().size()) {
            final List<String> stuck = graph.vertices().stream().filter(id -> !topological.contains(id)).sorted().toList();
            throw new io.loyaltylakehouse.dbt.project.DbtException("Found a cycle in the graph among " + stuck);
        }
        return topological;
    }

    private List<String> kahn() {
        final Map<String, Integer> waiting = new HashMap<>();
        graph.vertices().forEach(id -> waiting.put(id, graph.parents(id).size()));
        final List<String> out = new ArrayList<>();
        final List<String> frontier = new ArrayList<>(graph.vertices().stream().filter(id -> waiting.get(id) == 0).sorted().toList());
        while (!frontier.isEmpty()) {
            final String id = frontier.remove(0);
            out.add(id);
            for (final String child : graph.children(id)) {
                if (waiting.merge(child, -1, Integer::sum) == 0) {
                    frontier.add(child);
                }
            }
        }
        return out;
    }

    /** Everything downstream of a node in this plan (skipped when it fails). */
    public Set<String> descendants(final String id) {
        return graph.descendants(id, -1);
    }

    public Set<String> parents(final String id) {
        return graph.parents(id);
    }

    private static Set<String> nearestSelectedAncestors(final Graph full, final String id, final Set<String> selected) {
        final Set<String> found = new HashSet<>();
        final Set<String> seen = new HashSet<>();
        final List<String> frontier = new ArrayList<>(full.parents(id));
        while (!frontier.isEmpty()) {
            final String parent = frontier.remove(frontier.size() - 1);
            if (!seen.add(parent)) {
                continue;
            }
            if (selected.contains(parent)) {
                found.add(parent);
            } else {
                frontier.addAll(full.parents(parent));
            }
        }
        return found;
    }

    /** dbt build: a test gates the children of the nodes it tests (unless that child is one of its own parents). */
    private void addTestEdges(final Manifest manifest, final Graph full, final Set<String> selected) {
        for (final String id : selected) {
            final Node test = manifest.nodes().get(id);
            if (test != null && test.unitTest() != null && selected.contains(test.unitTest().model())) {
                graph.edge(id, test.unitTest().model());
            }
            if (test == null || test.type() != ResourceType.TEST) {
                continue;
            }
            final Set<String> testAncestors = new HashSet<>();
            test.dependsOn().forEach(parent -> {
                testAncestors.add(parent);
                testAncestors.addAll(full.ancestors(parent, -1));
            });
            for (final String parent : test.dependsOn()) {
                for (final String child : full.children(parent)) {
                    final Node childNode = manifest.nodes().get(child);
                    if (childNode != null && childNode.type() != ResourceType.TEST
                            && childNode.type() != ResourceType.UNIT_TEST && selected.contains(child)
                            && !testAncestors.contains(child)) {
                        graph.edge(id, child);
                    }
                }
            }
        }
    }
}
