package org.jdistcc.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsPageTest {
    static final StatsPage SAMPLE = new StatsPage(12, 2, 0, 8, 1, 0, 1, 0, "hello.c", "x86_64-linux-gnu-gcc", 431,
            4, new int[] {1, 0, 0}, 3, new double[] {0.6, 1.005, 12}, new int[] {9, 10, 11}, 0, 62800, "(java)",
            -1, 79558);

    @Test
    void pageIsDistccdsFieldForFieldWithBareLineFeeds() {
        assertThat(SAMPLE.render()).isEqualTo("HTTP/1.0 200 OK\nContent-Type: text/plain\nConnection: close\n\n"
                + """
                argv /distccd
                <distccstats>
                dcc_tcp_accept 12
                dcc_rej_bad_req 2
                dcc_rej_overload 0
                dcc_compile_ok 8
                dcc_compile_error 1
                dcc_compile_timeout 0
                dcc_cli_disconnect 1
                dcc_other 0
                dcc_longest_job hello.c
                dcc_longest_job_compiler x86_64-linux-gnu-gcc
                dcc_longest_job_time_msecs 431
                dcc_max_kids 4
                dcc_avg_kids1 1
                dcc_avg_kids2 0
                dcc_avg_kids3 0
                dcc_current_load 3
                dcc_load1 0.60
                dcc_load2 1.00
                dcc_load3 12.00
                dcc_num_compiles1 9
                dcc_num_compiles2 10
                dcc_num_compiles3 11
                dcc_num_procstate_D 0
                dcc_max_RSS 62800
                dcc_max_RSS_name (java)
                dcc_io_rate -1
                dcc_free_space 79558 MB
                </distccstats>
                """);
        assertThat(SAMPLE.render()).doesNotContain("\r");
    }

    @Test
    void parsingGivesTheFieldsInPageOrderWithTheRestOfTheLineAsValue() {
        Map<String, String> fields = StatsPage.parse(SAMPLE.render());

        assertThat(fields).hasSize(27);
        assertThat(fields.keySet()).startsWith("dcc_tcp_accept", "dcc_rej_bad_req").endsWith("dcc_free_space");
        assertThat(fields).containsEntry("dcc_free_space", "79558 MB").containsEntry("dcc_load2", "1.00");
    }

    @Test
    void somethingThatIsNotAStatsPageIsRefused() {
        assertThatThrownBy(() -> StatsPage.parse("HTTP/1.0 404\n\nnope")).isInstanceOf(IllegalArgumentException.class);
    }
}
