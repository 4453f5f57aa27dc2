package io.loyaltylakehouse.dbt.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementSplitterTest {
    @Test
    void splitsOnSemicolonsOutsideQuotesAndComments() {
        assertThat(StatementSplitter.split("delete from t where (id) in (select id from s);\n"
                + "insert into t values ('a;b', \"c;d\") -- trailing; comment\n;  \n/* only; a comment */;"))
                .containsExactly("delete from t where (id) in (select id from s)",
                        "insert into t values ('a;b', \"c;d\") -- trailing; comment");
    }

    @Test
    void escapedQuotesStayInTheLiteral() {
        assertThat(StatementSplitter.split("select 'it''s; fine';")).containsExactly("select 'it''s; fine'");
    }

    @Test
    void responseMessageUsesUnderscoreThousands() {
        assertThat(new Adapter.Response("CREATE TABLE", 1234, "q").message()).isEqualTo("CREATE TABLE (1_234 rows)");
        assertThat(new Adapter.Response("CREATE VIEW", -1, "q").message()).isEqualTo("CREATE VIEW");
        assertThat(Adapter.Response.seed("INSERT", 10).message()).isEqualTo("INSERT 10");
    }
}
