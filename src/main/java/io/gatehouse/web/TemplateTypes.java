package io.gatehouse.web;

import io.quarkus.qute.TemplateData;

/**
 * The types the page templates read, so Qute generates their value resolvers at build time (no
 * reflection at run time, native-friendly).
 */
@TemplateData(target = io.gatehouse.org.SsoOverview.class)
@TemplateData(target = io.gatehouse.org.SsoOverview.ConnectionSummary.class)
@TemplateData(target = io.gatehouse.org.SsoUrls.class)
@TemplateData(target = io.gatehouse.org.DomainView.class)
@TemplateData(target = io.gatehouse.login.PersonSessions.SessionView.class)
@TemplateData(target = io.gatehouse.org.ConnectionView.class)
@TemplateData(target = io.gatehouse.org.ConnectionView.SamlIdpView.class)
@TemplateData(target = io.gatehouse.org.ConnectionView.CertificateView.class)
@TemplateData(target = io.gatehouse.org.ConnectionSettings.class)
@TemplateData(target = io.gatehouse.org.ConnectionType.class)
@TemplateData(target = io.gatehouse.login.AttemptView.class)
@TemplateData(target = io.gatehouse.platform.Problem.FieldError.class)
@TemplateData(target = AdminPages.UserRow.class)
@TemplateData(target = io.gatehouse.setup.Guides.Guide.class)
@TemplateData(target = io.gatehouse.setup.Guides.Step.class)
@TemplateData(target = io.gatehouse.setup.Guides.Value.class)
@TemplateData(target = io.gatehouse.setup.SetupAccess.class)
@TemplateData(target = io.gatehouse.login.TestSignIns.Report.class)
@TemplateData(target = io.gatehouse.directory.ScimTokens.TokenView.class)
@TemplateData(target = SetupPages.StepView.class)
@TemplateData(target = SetupPages.StepValue.class)
@TemplateData(target = OrgLoginPage.Choice.class)
@TemplateData(target = io.gatehouse.login.AccountSwitch.AccountView.class)
final class TemplateTypes {

    private TemplateTypes() {
    }
}
