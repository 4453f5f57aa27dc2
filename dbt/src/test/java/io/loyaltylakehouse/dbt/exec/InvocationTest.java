package io.loyaltylakehouse.dbt.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvocationTest {
    @Test
    void parsesDbtStyleOptions() {
        final Invocation invocation = Invocation.parse("build", "-s", "+orders", "tag:nightly", "--exclude=customers",
                "--full-refresh", "--vars", "{days: 3}", "--target", "prod", "--project-dir", "/p", "--warn-error");
        assertThat(invocation.command()).isEqualTo("build");
        assertThat(invocation.select()).containsExactly("+orders", "tag:nightly");
        assertThat(invocation.exclude()).containsExactly("customers");
        assertThat(invocation.fullRefresh()).isTrue();
        assertThat(invocation.warnError()).isTrue();
        assertThat(invocation.target()).contains("prod");
        assertThat(invocation.projectDir()).isEqualTo(Path.of("/p"));
        assertThat(CommandRunner.vars(invocation.varsYaml())).isEqualTo(Map.of("days", 3));
    }

    @Test
    void rejectsUnknownCommandsAndOptions() {
        assertThatThrownBy(() -> Invocation.parse("deps")).hasMessageContaining("unknown command 'deps'");
        assertThatThrownBy(() -> Invocation.parse("run", "--bogus")).hasMessage("unknown option '--bogus' for dbt run");
        assertThatThrownBy(() -> Invocation.parse("run", "--select")).hasMessage("option --select needs a value");
    }
}
