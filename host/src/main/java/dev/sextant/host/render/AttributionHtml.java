package dev.sextant.host.render;

import dev.sextant.host.pipeline.AttributionReport;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A standalone HTML page for an attribution: the prompt and the generated text as tokens (or words)
 * coloured by their importance for one generated token, chosen by clicking it; hover shows a
 * token's score and rank. Everything is inline (CSS, script, data), so the file can be mailed or
 * opened offline.
 *
 * <p>The page is also well-formed XML (closed tags, quoted attributes, script in CDATA comments),
 * so tests and tools can parse it without an HTML parser.
 */
public final class AttributionHtml {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AttributionHtml() {
    }

    /**
     * The page.
     *
     * @param pipeline the pipeline that produced the attribution, for the title
     * @param report the attribution
     */
    public static String page(String pipeline, AttributionReport report) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>Sextant attribution: ").append(escape(pipeline)).append("</title>\n")
                .append("<style>").append(CSS).append("</style>\n</head>\n<body>\n");
        html.append("<header>\n<h1>Which prompt tokens made each generated token</h1>\n<p class=\"meta\">pipeline <b>")
                .append(escape(pipeline)).append("</b> · method <b>").append(escape(report.method()))
                .append("</b> · ").append(report.rows())
                .append(report.rows() == 1 ? " generated token" : " generated tokens").append(" explained</p>\n")
                .append("</header>\n");
        warnings(html, report.warnings());
        if (report.rows() > 0) {
            html.append("<p class=\"controls\">Show <label><input type=\"radio\" name=\"unit\" value=\"tokens\"")
                    .append(" checked=\"checked\"/> tokens</label> <label><input type=\"radio\" name=\"unit\"")
                    .append(" value=\"words\"/> words</label>")
                    .append(" <span class=\"legend\">less <span class=\"ramp\"></span> more important;")
                    .append(" <span class=\"neg\">blue</span>: made it less likely</span></p>\n")
                    .append("<p id=\"explaining\" class=\"explaining\"></p>\n")
                    .append("<noscript><p class=\"warning\">Colours need JavaScript; the table below lists the top")
                    .append(" evidence.</p></noscript>\n");
        }
        String text = report.text();
        int boundary = report.inputLength() > 0 ? report.ends()[report.inputLength() - 1] : 0;
        Units tokens = new Units("tokens", report.tokens(), report.starts(), report.ends(), report.inputLength());
        AttributionReport.Words w = report.words();
        Units words = new Units("words", w.words(), w.starts(), w.ends(), w.inputLength());
        html.append("<section>\n<h2>Prompt</h2>\n");
        tokens.render(html, text, false, boundary, false);
        words.render(html, text, false, boundary, true);
        html.append("</section>\n<section>\n<h2>Generated</h2>\n");
        tokens.render(html, text, true, boundary, false);
        words.render(html, text, true, boundary, true);
        html.append("</section>\n");
        rows(html, report);
        settings(html, report.settings());
        html.append("<p id=\"hover\" class=\"hover\"></p>\n");
        html.append("<script type=\"application/json\" id=\"attribution-data\">").append(data(report))
                .append("</script>\n<script>//<![CDATA[\n").append(SCRIPT).append("\n//]]></script>\n");
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    /**
     * One way to cut the text into units: tokens or words.
     *
     * @param name {@code tokens} or {@code words}
     * @param labels each unit's text, shown for units with no text of their own (special tokens)
     * @param starts each unit's first char in the text
     * @param ends each unit's char after its last
     * @param inputLength how many leading units belong to the prompt
     */
    private record Units(String name, List<String> labels, int[] starts, int[] ends, int inputLength) {

        /**
         * The prompt's units or the generated ones, as spans with the text between them, so the
         * paragraph reads as the original text.
         *
         * @param boundary where the prompt's text ends and the generated text begins
         */
        void render(StringBuilder html, String text, boolean generated, int boundary, boolean hidden) {
            int from = generated ? inputLength : 0;
            int to = generated ? labels.size() : inputLength;
            int textTo = generated ? text.length() : boundary;
            html.append("<p class=\"units ").append(generated ? "generated" : "prompt").append("\" data-unit=\"")
                    .append(name).append('"').append(hidden ? " hidden=\"hidden\">" : ">");
            int at = generated ? boundary : 0;
            for (int i = from; i < to; i++) {
                int start = Math.max(starts[i], at);
                int end = Math.min(Math.max(ends[i], start), textTo);
                if (start > at && start <= textTo) {
                    html.append(escape(text.substring(at, start)));
                }
                html.append("<span class=\"u\" data-i=\"").append(i).append("\">");
                if (end > start) {
                    html.append(escape(text.substring(start, end)));
                    at = end;
                } else {
                    html.append("<span class=\"special\">").append(escape(labels.get(i))).append("</span>");
                }
                html.append("</span>");
            }
            if (at < textTo) {
                html.append(escape(text.substring(at, textTo)));
            }
            html.append("</p>\n");
        }
    }

    private static void rows(StringBuilder html, AttributionReport report) {
        if (report.rows() == 0) {
            return;
        }
        html.append("<section>\n<h2>Explained tokens</h2>\n<table class=\"rows\">\n<thead><tr><th>#</th>")
                .append("<th>token</th><th>probability</th><th>entropy (nats)</th><th>top evidence</th></tr></thead>\n")
                .append("<tbody>\n");
        for (int r = 0; r < report.rows(); r++) {
            html.append("<tr data-row=\"").append(r).append("\"><td>").append(report.targetFrom() + r)
                    .append("</td><td><code>").append(escape(visible(report.targetTokens().get(r))))
                    .append("</code></td><td>").append(number(report.targetProbabilities().get(r)))
                    .append("</td><td>").append(number(report.targetEntropies().get(r))).append("</td><td>");
            List<AttributionReport.Evidence> top = report.top().get(r);
            for (int i = 0; i < top.size(); i++) {
                html.append(i == 0 ? "" : ", ").append("<code>").append(escape(visible(top.get(i).text())))
                        .append("</code> ").append(number(top.get(i).score()));
            }
            html.append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n</section>\n");
    }

    private static void settings(StringBuilder html, Map<String, Object> settings) {
        html.append("<section>\n<h2>Settings</h2>\n<table class=\"settings\">\n<tbody>\n");
        settings.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> html.append("<tr><th>")
                .append(escape(e.getKey())).append("</th><td><code>")
                .append(escape(e.getValue() instanceof String s ? s : JSON.writeValueAsString(e.getValue())))
                .append("</code></td></tr>\n"));
        html.append("</tbody>\n</table>\n</section>\n");
    }

    private static void warnings(StringBuilder html, List<String> warnings) {
        if (warnings.isEmpty()) {
            return;
        }
        html.append("<ul class=\"warnings\">\n");
        for (String warning : warnings) {
            html.append("<li>").append(escape(warning)).append("</li>\n");
        }
        html.append("</ul>\n");
    }

    /**
     * The report as JSON for the script. {@code <}, {@code >} and {@code &} are written as JSON
     * escapes so no text can close the script element, end the page's CDATA or read as markup.
     */
    private static String data(AttributionReport report) {
        return JSON.writeValueAsString(report).replace("<", "\\u003c").replace(">", "\\u003e")
                .replace("&", "\\u0026");
    }

    private static String number(Float value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.3g", value);
    }

    /** A token with its leading space shown, so {@code " oslo"} and {@code "oslo"} differ visibly. */
    private static String visible(String token) {
        return token.replace(' ', '␣').replace("\n", "⏎");
    }

    /** Text for HTML element content and quoted attribute values. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // Control characters other than tab and newline are not allowed in HTML (or XML) text.
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static final String CSS = """
            body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1f2328}
            h1{font-size:1.3rem;margin:0}h2{font-size:1rem;margin:1.2rem 0 .3rem;color:#57606a}
            .meta{color:#57606a;margin:.2rem 0 1rem}
            .units{font:15px/2.1 ui-monospace,monospace;white-space:pre-wrap;margin:0;padding:.4rem .6rem;
            border:1px solid #d0d7de;border-radius:6px}
            .u{border-radius:3px;padding:1px 0;cursor:default}
            .generated .u[data-row]{cursor:pointer;text-decoration:underline dotted}
            .u.target{outline:2px solid #1f2328;outline-offset:1px}
            .u.after{color:#8c959f}
            .special{font-size:.75em;color:#57606a;border:1px dashed #8c959f;padding:0 2px}
            .controls label{margin-right:.6rem}
            .legend{color:#57606a;font-size:.85em;margin-left:1rem}
            .ramp{display:inline-block;width:5rem;height:.7rem;vertical-align:middle;
            background:linear-gradient(90deg,rgba(220,38,38,0),rgba(220,38,38,1))}
            .neg{color:#2563eb}
            .explaining{font-weight:600}
            .hover{position:sticky;bottom:0;background:#f6f8fa;border-top:1px solid #d0d7de;margin:1rem 0 0;
            padding:.3rem .6rem;min-height:1.5em;font-size:.9em}
            table{border-collapse:collapse;font-size:.9em}th,td{border-bottom:1px solid #d0d7de;padding:.2rem .6rem;
            text-align:left;vertical-align:top}
            .rows tbody tr{cursor:pointer}.rows tr.selected{background:#fff8c5}
            .warnings{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:.4rem 1.6rem}
            .warning{color:#9a6700}
            """;

    private static final String SCRIPT = """
            (function () {
              var data = JSON.parse(document.getElementById('attribution-data').textContent);
              var rows = data.scores.length;
              var state = {row: 0, unit: 'tokens'};
              var hover = document.getElementById('hover');
              function targetColumn(row) { return data.input_length + data.target_from + row; }
              // The generated word that holds a row's token: words are clicked, rows are tokens.
              function wordOfColumn(c) {
                var w = data.words;
                for (var i = 0; i < w.words.length; i++) {
                  var end = Math.max(w.ends[i], w.starts[i] + 1);
                  if (data.starts[c] >= w.starts[i] && data.starts[c] < end) { return i; }
                }
                return -1;
              }
              function rowOf(unit, i) {
                for (var r = 0; r < rows; r++) {
                  var c = targetColumn(r);
                  if ((unit === 'tokens' ? c : wordOfColumn(c)) === i) { return r; }
                }
                return -1;
              }
              function scoresOf(unit, row) { return unit === 'tokens' ? data.scores[row] : data.words.scores[row]; }
              function textOf(unit, i) { return unit === 'tokens' ? data.tokens[i] : data.words.words[i]; }
              function ranks(scores) {
                var idx = [];
                for (var i = 0; i < scores.length; i++) { if (scores[i] !== null) { idx.push(i); } }
                idx.sort(function (a, b) { return scores[b] - scores[a]; });
                var rank = {};
                idx.forEach(function (i, k) { rank[i] = k + 1; });
                return {rank: rank, n: idx.length};
              }
              function fmt(x) { return x === null || x === undefined ? '–' : Number(x).toPrecision(3); }
              function paint() {
                var scores = scoresOf(state.unit, state.row);
                var max = 0;
                scores.forEach(function (s) { if (s !== null) { max = Math.max(max, Math.abs(s)); } });
                var r = ranks(scores);
                var target = state.unit === 'tokens' ? targetColumn(state.row) : wordOfColumn(targetColumn(state.row));
                document.querySelectorAll('.units').forEach(function (p) {
                  p.hidden = p.getAttribute('data-unit') !== state.unit;
                });
                document.querySelectorAll('.units[data-unit="' + state.unit + '"] .u').forEach(function (el) {
                  var i = Number(el.getAttribute('data-i'));
                  var s = scores[i];
                  var row = rowOf(state.unit, i);
                  if (row >= 0) { el.setAttribute('data-row', row); } else { el.removeAttribute('data-row'); }
                  el.classList.toggle('target', i === target);
                  el.classList.toggle('after', s === null && i !== target);
                  if (s === null || max === 0) {
                    el.style.background = '';
                    el.style.color = '';
                    el.title = i === target ? 'the explained token' : 'after the explained token: no score';
                  } else {
                    var a = Math.abs(s) / max;
                    var rgb = s >= 0 ? '220,38,38' : '37,99,235';
                    el.style.background = 'rgba(' + rgb + ',' + a.toFixed(3) + ')';
                    el.style.color = a > 0.6 ? '#fff' : '';
                    el.title = 'score ' + fmt(s) + ', rank ' + r.rank[i] + ' of ' + r.n;
                  }
                });
                document.querySelectorAll('.rows tbody tr').forEach(function (tr) {
                  tr.classList.toggle('selected', Number(tr.getAttribute('data-row')) === state.row);
                });
                document.getElementById('explaining').textContent = 'Explaining generated token '
                  + (data.target_from + state.row) + ': "' + data.target_tokens[state.row] + '" (probability '
                  + fmt(data.target_probabilities[state.row])
                  + '). Click another generated token or table row to explain it.';
              }
              if (rows === 0) { return; }
              document.querySelectorAll('input[name="unit"]').forEach(function (input) {
                input.addEventListener('change', function () { state.unit = input.value; paint(); });
              });
              document.addEventListener('click', function (e) {
                var el = e.target.closest('[data-row]');
                if (el) { state.row = Number(el.getAttribute('data-row')); paint(); }
              });
              document.addEventListener('mouseover', function (e) {
                var el = e.target.closest('.u');
                if (!el || el.parentElement.getAttribute('data-unit') !== state.unit) { return; }
                var i = Number(el.getAttribute('data-i'));
                hover.textContent = '"' + textOf(state.unit, i) + '": ' + el.title;
              });
              paint();
            })();""";
}
