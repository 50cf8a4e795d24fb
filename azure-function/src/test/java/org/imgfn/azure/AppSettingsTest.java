package org.imgfn.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.imgfn.core.ClassifierConfig;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The app settings the plugin deploys, read from the module's pom, against the core's limits. */
class AppSettingsTest {
    private static Map<String, String> appSettings() throws Exception {
        Path pom = Path.of(System.getProperty("repo.root", "..")).resolve("azure-function/pom.xml");
        NodeList properties = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile())
                .getElementsByTagName("appSettings").item(0).getChildNodes();
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < properties.getLength(); i++) {
            if (properties.item(i) instanceof Element property) {
                settings.put(property.getElementsByTagName("name").item(0).getTextContent(),
                        property.getElementsByTagName("value").item(0).getTextContent());
            }
        }
        return settings;
    }

    /** Without it the host accepts 100 MB bodies and hands the worker all of it before our cap applies. */
    @Test
    void holdsTheHostsRequestBodyLimitToTheImageCap() throws Exception {
        assertThat(appSettings().get("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"))
                .isEqualTo(Long.toString(ClassifierConfig.defaults().maxImageBytes()));
    }

    @Test
    void keepsDjlOfflineAndUntracked() throws Exception {
        assertThat(appSettings()).containsEntry("DJL_OFFLINE", "true").containsEntry("OPT_OUT_TRACKING", "true");
    }
}
