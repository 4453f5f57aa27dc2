package io.loyaltylakehouse.dbt.project;

import io.loyaltylakehouse.dbt.adapter.Relation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The parsed project: nodes, sources and macros, with the DAG edges dbt records in parent_map/child_map. */
public final class Manifest {
    private final DbtProject project;
    private final Target target;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, SourceTable> sources = new LinkedHashMap<>();
    private final List<String> macros = new ArrayList<>();

    public Manifest(final DbtProject project, final Target target) {
        this.project = project;
        this.target = target;
    }

    public DbtProject project() {
        return project;
    }

    public Target target() {
        return target;
    }

    public Map<String, Node> nodes() {
        return nodes;
    }

    public Map<String, SourceTable> sources() {
        return sources;
    }

    public List<String> macros() {
        return macros;
    }

    public Node node(final String uniqueId) {
        final Node node = nodes.get(uniqueId);
        if (node == null) {
            throw new DbtException("unknown node " + uniqueId);
        }
        return node;
    }

    public void add(final Node node) {
        final Node previous = nodes.putIfAbsent(node.uniqueId(), node);
        if (previous != null) {
            throw new DbtException("dbt found two resources with the name '" + node.name() + "': "
                    + previous.originalFilePath() + " and " + node.originalFilePath());
        }
    }

    /** The model, seed or snapshot {@code ref(name)} points at. */
    public Optional<Node> refTarget(final String name) {
        for (final ResourceType type : List.of(ResourceType.MODEL, ResourceType.SEED, ResourceType.SNAPSHOT)) {
            final String id = type.label() + "." + project.name() + "." + name;
            if (nodes.containsKey(id)) {
                return Optional.of(nodes.get(id));
            }
        }
        return Optional.empty();
    }

    public Optional<SourceTable> source(final String sourceName, final String table) {
        return Optional.ofNullable(sources.get("source." + project.name() + "." + sourceName + "." + table));
    }

    public Relation relation(final Node node) {
        return Relation.of(node.database(), node.schema(), node.alias());
    }

    public Collection<Node> all() {
        return nodes.values();
    }

    /** unique_id -> its parents (nodes and sources), sorted. */
    public Map<String, List<String>> parentMap() {
        final Map<String, List<String>> parents = new TreeMap<>();
        nodes.values().forEach(node -> parents.put(node.uniqueId(), node.dependsOn().stream().sorted().toList()));
        sources.keySet().forEach(id -> parents.put(id, List.of()));
        return parents;
    }

    /** unique_id -> its children, sorted. */
    public Map<String, List<String>> childMap() {
        final Map<String, List<String>> children = new TreeMap<>();
        nodes.keySet().forEach(id -> children.put(id, new ArrayList<>()));
        sources.keySet().forEach(id -> children.put(id, new ArrayList<>()));
        nodes.values().forEach(node -> node.dependsOn().forEach(parent ->
                children.computeIfAbsent(parent, k -> new ArrayList<>()).add(node.uniqueId())));
        children.values().forEach(list -> list.sort(String::compareTo));
        return children;
    }
}
