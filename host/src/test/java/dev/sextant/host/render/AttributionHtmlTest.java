package dev.sextant.host.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.host.pipeline.AttributionReport;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The standalone attribution page: escaped, self-contained and parseable. */
class AttributionHtmlTest {

    private static final AttributionReport HOSTILE = Reports.of(
            List.of("mia", " <script>alert(1)</script>", " &amp;", " \"tom's\"", " ]]>", " oslo", " ."), 2,
            new float[][] {{0.1f, 0.2f, 0.3f, -0.4f, 0f}, {0.5f, 0f, 0f, 0f, 0f, 0.9f}},
            List.of("probe <1> did not converge"));

    private static Document parse(String html) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(html)));
    }

    private static List<Element> elements(Document page, String tag, String cssClass) {
        NodeList nodes = page.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element element = (Element) nodes.item(i);
            if (cssClass == null || List.of(element.getAttribute("class").split(" ")).contains(cssClass)) {
                out.add(element);
            }
        }
        return out;
    }

    @Test
    void tokensWithMarkupAreEscapedAndReadBackAsText() throws Exception {
        String html = AttributionHtml.page("explain", HOSTILE);

        Document page = parse(html);
        List<String> tokens = elements(page, "span", "u").stream().map(Element::getTextContent).toList();
        assertThat(tokens).contains(" <script>alert(1)</script>", " &amp;", " \"tom's\"", " ]]>", " oslo");
        assertThat(html).doesNotContain("<script>alert").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("&amp;amp;");
    }

    @Test
    void thePageHasNoExternalResources() {
        String html = AttributionHtml.page("explain", HOSTILE);

        assertThat(html).doesNotContain("src=", "href=", "http://", "https://", "@import");
    }

    @Test
    void theEmbeddedDataCannotCloseItsScriptElement() throws Exception {
        String html = AttributionHtml.page("explain", HOSTILE);

        Element data = elements(parse(html), "script", null).get(0);
        assertThat(data.getAttribute("type")).isEqualTo("application/json");
        assertThat(data.getTextContent()).doesNotContain("<", ">", "&").contains("\\u003cscript\\u003e");
        assertThat(html.indexOf("</script>")).isGreaterThan(html.indexOf("id=\"attribution-data\""));
    }

    @Test
    void eachExplainedTokenHasATableRowWithItsProbabilityAndTopEvidence() throws Exception {
        Document page = parse(AttributionHtml.page("explain", HOSTILE));

        List<Element> rows = elements(page, "tr", null).stream().filter(tr -> tr.hasAttribute("data-row")).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).getTextContent()).contains("␣.", "0.500", "1.25", "␣oslo 0.900");
        assertThat(rows.get(0).getTextContent()).contains("␣&amp; 0.300");
    }

    @Test
    void tokensAndWordsBothCoverThePromptAndTheGeneratedText() throws Exception {
        Document page = parse(AttributionHtml.page("explain", HOSTILE));

        List<Element> views = elements(page, "p", "units");
        assertThat(views).extracting(p -> p.getAttribute("class") + "/" + p.getAttribute("data-unit"))
                .containsExactly("units prompt/tokens", "units prompt/words", "units generated/tokens",
                        "units generated/words");
        assertThat(views.get(0).getTextContent() + views.get(2).getTextContent()).isEqualTo(HOSTILE.text());
        assertThat(views.get(1).getTextContent() + views.get(3).getTextContent()).isEqualTo(HOSTILE.text());
        assertThat(views.get(1).getAttribute("hidden")).isEqualTo("hidden");
    }

    @Test
    void methodSettingsAndWarningsAreShown() throws Exception {
        String text = parse(AttributionHtml.page("explain", HOSTILE)).getDocumentElement().getTextContent();

        assertThat(text).contains("test-method", "model_calls", "probe <1> did not converge");
    }

    @Test
    void aReportWithoutRowsStillShowsThePromptAndItsWarning() throws Exception {
        AttributionReport empty = Reports.of(List.of("mia", " has"), 0, new float[0][],
                List.of("nothing to attribute"));

        Document page = parse(AttributionHtml.page("explain", empty));

        assertThat(page.getDocumentElement().getTextContent()).contains("0 generated tokens explained",
                "nothing to attribute", "mia has");
        assertThat(elements(page, "table", "rows")).isEmpty();
    }
}
