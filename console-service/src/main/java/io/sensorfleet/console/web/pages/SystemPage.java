package io.sensorfleet.console.web.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.certificates.CertificateInfo;
import io.sensorfleet.console.certificates.CertificateResource;
import io.sensorfleet.console.certificates.OperatorCertificateService;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.settings.CertificateValidationSetting;
import io.sensorfleet.console.settings.SettingsScope;
import io.sensorfleet.console.settings.SettingsService;
import io.sensorfleet.console.web.Forms;
import io.sensorfleet.console.web.Web;
import io.sensorfleet.console.web.session.WebUser;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * System settings: the operator-plane certificate (see it, replace it by PEM parts or a PKCS#12
 * bundle, with the same checks as the REST API) and the certificate validation toggle.
 */
@Path("/ui/system")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class SystemPage {
    private static final String BACK = "/ui/system";

    @Inject
    WebUser ui;
    @Inject
    Web web;
    @Inject
    OperatorCertificateService certificates;
    @Inject
    CertificateValidationSetting validation;
    @Inject
    SettingsService settings;
    @Inject
    @Location("web/system.html")
    Template page;

    @GET
    public TemplateInstance show() {
        ui.require();
        CertificateInfo current;
        try {
            current = certificates.current();
        } catch (ProblemException none) {
            current = null; // not installed yet: the page says so instead of failing
        }
        return page.data("nav", "system").data("cert", current).data("validation", validation.enabled());
    }

    @POST
    @Path("/certificate")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Replace the operator-plane certificate")
    public Response upload(@RestForm String certificate, @RestForm String privateKey, @RestForm String passphrase,
                           @RestForm String chain, @RestForm("pkcs12File") FileUpload pkcs12, @RestForm String password) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            String bundle = pkcs12 == null || pkcs12.size() == 0 ? null : base64(pkcs12);
            var u = web.valid(new CertificateResource.Upload(Forms.text(certificate), Forms.text(privateKey),
                    Forms.text(passphrase), Forms.text(chain), bundle, password));
            CertificateInfo installed = certificates.upload(CertificateResource.bundle(u), validation.enabled(),
                    ui.username());
            return "Certificate installed: " + installed.subject() + ", valid until " + ui.time(installed.notAfter());
        });
    }

    @POST
    @Path("/validation")
    @Operation(summary = "Turn certificate validation on or off")
    public Response validation(@RestForm String enabled) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            if (!"true".equals(enabled) && !"false".equals(enabled)) {
                throw ProblemException.badRequest("enabled: true or false");
            }
            Map<String, Object> change = new HashMap<>();
            change.put("certificates.validation", Boolean.valueOf(enabled));
            settings.change(SettingsScope.GLOBAL, null, change, false, ui.username());
            return "Certificate validation turned " + ("true".equals(enabled) ? "on" : "off");
        });
    }

    private static String base64(FileUpload file) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(file.uploadedFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
