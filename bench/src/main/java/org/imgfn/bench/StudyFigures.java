package org.imgfn.bench;

/**
 * The figures the study we reproduce published (a Python MobileNetV2 function on Azure Functions
 * Consumption and on OpenFaaS/faasd), for side-by-side comparison.
 */
final class StudyFigures {
    private StudyFigures() {}

    static void appendTable(StringBuilder md) {
        md.append("""
                ## The study's published figures (Python function)

                | platform | scenario | requests | failures | avg ms | min ms | max ms | RPS |
                | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |
                | Azure Functions | 1 user | | | 590 | 214 | 19,066 | 0.28 |
                | Azure Functions | 100 users, spawn 2/s | 7,747 | 1 | 542 | | 22,220 | 25.9 |
                | Azure Functions | 100 users, spawn 10/s | | | 778 | | 27,851 | 26.3 |
                | OpenFaaS (faasd) | 1 user | | | 335 | 234 | 443 | 0.3 |
                | OpenFaaS (faasd) | 100 users, spawn 2/s | | | 7,299 | | | 8.8 |
                | OpenFaaS (faasd) | 100 users, spawn 10/s | | 0 | 7,528 | | | 9.2 |

                Cold start: Azure 18.5 s for the first call, again 19.5–22 s after 8 minutes or more idle;
                faasd 1.79 s, then at most 0.6 s. Time at 2880²: Azure 1.42 s, OpenFaaS 1.47 s; at 3200²:
                Azure 1.56 s, OpenFaaS 1.67 s.

                """);
    }
}
