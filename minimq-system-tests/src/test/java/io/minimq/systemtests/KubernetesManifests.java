package io.minimq.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.yaml.snakeyaml.Yaml;

/**
 * The objects {@code deploy/k8s} creates: rendered by {@code kubectl kustomize} when kubectl is
 * installed (as {@code kubectl apply -k} would), else read from the files the kustomization
 * lists (then without kustomize's namespace and image rewriting).
 */
final class KubernetesManifests {

    static final String DIR = "deploy/k8s";
    /** The manifests themselves; {@link #DIR} only includes them, so that overlays can build on them. */
    static final String BASE = DIR + "/base";

    private final List<Tree> objects;
    private final boolean rendered;

    private KubernetesManifests(List<Tree> objects, boolean rendered) {
        this.objects = List.copyOf(objects);
        this.rendered = rendered;
    }

    static KubernetesManifests load() {
        if (kubectlAvailable()) {
            return render(DIR);
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("kubectl is missing: CI must render " + DIR + " with kubectl kustomize");
        }
        List<Tree> objects = new ArrayList<>();
        kustomization().at("resources").items()
                .forEach(file -> objects.addAll(parseAll(Repository.read(BASE + "/" + file.text()))));
        return new KubernetesManifests(objects, false);
    }

    /** The objects {@code kubectl kustomize <dir>} renders (kubectl required). */
    static KubernetesManifests render(String dir) {
        return new KubernetesManifests(parseAll(kubectl("kustomize", Repository.file(dir).toString())), true);
    }

    /** The kustomization that lists the manifests and names the images. */
    static Tree kustomization() {
        return kustomization(BASE);
    }

    static Tree kustomization(String dir) {
        return parseAll(Repository.read(dir + "/kustomization.yaml")).get(0);
    }

    /** True when these objects were rendered by kustomize (namespace and images applied). */
    boolean rendered() {
        return rendered;
    }

    List<Tree> all() {
        return objects;
    }

    List<Tree> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.at("kind").textOrNull())).toList();
    }

    Tree get(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(o.at("metadata", "name").textOrNull())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in " + DIR));
    }

    /** The workloads (StatefulSet, Deployment, DaemonSet) with a pod template. */
    List<Tree> workloads() {
        return objects.stream().filter(o -> o.at("spec", "template", "spec").exists()).toList();
    }

    private static List<Tree> parseAll(String yaml) {
        return StreamSupport.stream(new Yaml().loadAll(yaml).spliterator(), false)
                .filter(java.util.Objects::nonNull).map(Tree::of).toList();
    }

    static boolean kubectlAvailable() {
        try {
            kubectl("version", "--client");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String kubectl(String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl"));
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile("kubectl", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command + " failed (" + process.exitValue() + "):\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
