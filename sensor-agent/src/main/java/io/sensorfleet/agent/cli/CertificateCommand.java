package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.identity.HttpsCertificate;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.status.HttpsCertificates;
import io.sensorfleet.protocol.v1.enrollment.Fingerprints;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "certificate", mixinStandardHelpOptions = true,
        description = "Manages the certificate of the sensor's local HTTPS status endpoint.",
        subcommands = CertificateCommand.Import.class)
final class CertificateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (import)");
    }

    /** What {@code certificate import} prints. */
    record Imported(String subject, String issuer, Instant notAfter, String sha256Fingerprint, int chainLength) {
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Checks a CA-signed certificate and installs it for the local HTTPS status endpoint "
                    + "(seed: cyberx-xsense-certificate-import). A running agent presents it to new connections "
                    + "without a restart. A refused certificate leaves the previous one in place.",
                    "Checks: the files parse (certificate PEM or DER), the key belongs to the certificate, it is "
                            + "valid now, RSA >= 2048 bits or EC P-256/P-384, SHA-256 or stronger signatures, "
                            + "chain in order (issuer first)."})
    static final class Import implements Callable<Integer> {
        private final AgentConfig defaults;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Option(names = "--crt", required = true, paramLabel = "<file>", description = "the certificate, PEM or DER")
        Path crt;

        @Option(names = "--key", required = true, paramLabel = "<file>",
                description = "its private key, PEM (PKCS#8 or traditional), optionally encrypted")
        Path key;

        @Option(names = "--chain", paramLabel = "<file>",
                description = "the issuing CA certificates, PEM, the issuer of the certificate first, up to the root")
        Path chain;

        @Option(names = "--pass", paramLabel = "<passphrase>", description = "the passphrase of an encrypted key")
        String pass;

        @Option(names = "--passphrase-set", paramLabel = "true|false", arity = "1", defaultValue = "false",
                description = "whether the key is encrypted (then --pass is required); default false")
        boolean passphraseSet;

        Import(AgentConfig defaults) {
            this.defaults = defaults;
        }

        @Override
        public Integer call() {
            AgentConfig config = common.apply(defaults);
            HttpsCertificate installed = new HttpsCertificates(new StateDir(config.stateDir()), config.clock())
                    .importFiles(crt, key, chain, pass, passphraseSet);
            var c = installed.certificate();
            String fingerprint;
            try {
                fingerprint = Fingerprints.sha256Hex(c.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("a parsed certificate always encodes", e);
            }
            Imported view = new Imported(c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
                    c.getNotAfter().toInstant(), fingerprint, installed.chain().size() - 1);
            common.print(spec.commandLine().getOut(), view, "installed " + view.subject() + " issued by " + view.issuer()
                    + ", valid until " + view.notAfter() + " (SHA-256 " + fingerprint + "); "
                    + "the status endpoint presents it to new connections");
            return AgentCli.OK;
        }
    }
}
