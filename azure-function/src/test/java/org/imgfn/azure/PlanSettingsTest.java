package org.imgfn.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.imgfn.core.ClassifierConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What the plugin (azure-functions-maven-plugin 1.37.0) deploys on each plan, read from the module's pom:
 * Consumption by default, Flex Consumption with -Dplan=flex.
 */
class PlanSettingsTest {
    static Document pom;

    @BeforeAll
    static void read() throws Exception {
        Path file = Path.of(System.getProperty("repo.root", "..")).resolve("azure-function/pom.xml");
        pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static Element profile(String id) {
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (id.equals(text(profile, "id"))) {
                return profile;
            }
        }
        throw new AssertionError("azure-function/pom.xml has no profile " + id);
    }

    /** The plugin configuration of the plan's profile. */
    private static Element plan(String id) {
        return (Element) profile(id).getElementsByTagName("configuration").item(0);
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }

    private static Map<String, String> appSettings(Element configuration) {
        NodeList properties = configuration.getElementsByTagName("property");
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < properties.getLength(); i++) {
            Element property = (Element) properties.item(i);
            settings.put(text(property, "name"), text(property, "value"));
        }
        return settings;
    }

    private static String property(String name) {
        return text((Element) pom.getElementsByTagName("properties").item(0), name);
    }

    @Test
    void consumptionIsTheDefaultPlanWithItsRuntimeVersion() {
        Element consumption = plan("consumption");
        Element activation = (Element) profile("consumption").getElementsByTagName("activation").item(0);

        assertThat(text(consumption, "pricingTier")).isEqualTo("Consumption");
        assertThat(text(activation, "value")).as("active unless -Dplan=flex").isEqualTo("!flex");
        assertThat(appSettings(consumption)).containsEntry("FUNCTIONS_EXTENSION_VERSION", "~4");
    }

    @Test
    void flexConsumptionHasItsInstanceSettingsAndNoExtensionVersion() {
        Element flex = plan("flex");

        assertThat(text(flex, "pricingTier")).isEqualTo("Flex Consumption");
        assertThat(text(flex, "instanceMemory")).isIn("512", "2048", "4096");
        assertThat(Integer.parseInt(text(flex, "maximumInstances"))).as("the plugin's range").isBetween(40, 1000);
        assertThat(Integer.parseInt(text(flex, "httpInstanceConcurrency"))).isPositive();
        assertThat(text(flex, "http")).as("always-ready HTTP instances").isEqualTo("${alwaysReadyHttp}");
        assertThat(property("alwaysReadyHttp")).isEqualTo("0");
        assertThat(appSettings(flex)).doesNotContainKey("FUNCTIONS_EXTENSION_VERSION");
    }

    /** Without it the host accepts 100 MB bodies and hands the worker all of it before our cap applies. */
    @Test
    void bothPlansHoldTheHostsBodyLimitToTheImageCapAndKeepDjlOffline() {
        String cap = Long.toString(ClassifierConfig.fromEnv(Map.of()).image().maxImageBytes());
        for (String id : new String[] {"consumption", "flex"}) {
            assertThat(appSettings(plan(id))).as(id)
                    .containsEntry("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT", cap)
                    .containsEntry("DJL_OFFLINE", "true")
                    .containsEntry("OPT_OUT_TRACKING", "true")
                    .doesNotContainKey("languageWorkers__java__arguments");
        }
    }

    /** The default name must pass the plugin's check (letters, digits, hyphens), unlike one made of user.name. */
    @Test
    void theDefaultAppNameIsOneThePluginAccepts() {
        assertThat(property("functionAppName")).matches("[a-zA-Z0-9][a-zA-Z0-9-]{0,58}[a-zA-Z0-9]");
    }

    /** Deploying in the build that staged the app ships that staging folder, under the same name. */
    @Test
    void deployRunsInTheSameBuildAfterPackaging() {
        Element deploy = profile("azure-deploy");

        assertThat(text(deploy, "goal")).isEqualTo("deploy");
        assertThat(text(deploy, "phase")).isEqualTo("install");
    }
}
