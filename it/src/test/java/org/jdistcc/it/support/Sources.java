package org.jdistcc.it.support;

/** Small real programs to compile, each with something for the preprocessor to do. */
public final class Sources {
    /** A header hello.c includes, so that the .d file has a local dependency. */
    public static final String HELLO_H = """
            #define SEVEN 7
            #ifndef GREETING
            #define GREETING "hello"
            #endif
            """;

    /** A C program using stdio and hello.h; MSG may be set with -D. */
    public static final String HELLO_C = """
            #include <stdio.h>
            #include "hello.h"
            #ifndef MSG
            #define MSG "no message"
            #endif
            static int square(int x) { return x * x; }
            int main(void) {
                printf("%s %s %d\\n", GREETING, MSG, square(SEVEN));
                return 0;
            }
            """;

    /** A C++ program with templates and a few standard headers (a large .ii). */
    public static final String HELLO_CPP = """
            #include <map>
            #include <string>
            #include <vector>
            #include <numeric>
            template <typename T> T total(const std::vector<T>& v) {
                return std::accumulate(v.begin(), v.end(), T{});
            }
            struct Counter {
                std::map<std::string, int> counts;
                void add(const std::string& word) { ++counts[word]; }
            };
            int main() {
                Counter c;
                c.add("a"); c.add("b"); c.add("a");
                std::vector<int> v{1, 2, 3};
                return total(v) + c.counts["a"] == 8 ? 0 : 1;
            }
            """;

    private Sources() {
    }

    /** A distinct small C unit number {@code i}, for many concurrent jobs. */
    public static String unit(int i) {
        return """
                #include <stdio.h>
                #include <string.h>
                static const char name[] = "unit %1$d";
                int unit_%1$d(int x) {
                    int acc = 0;
                    for (int k = 0; k < x; k++) acc += k * %1$d + (int) strlen(name);
                    printf("%%s %%d\\n", name, acc);
                    return acc;
                }
                """.formatted(i);
    }
}
