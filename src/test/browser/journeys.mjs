// Real-browser journeys through Gatehouse's pages, driven by BrowserPagesTest: Playwright (playwright-core)
// controlling Debian's Chromium, against Gatehouse and Keycloak on loopback. Exits non-zero on the first
// failed check. Screenshots (desktop and phone width) go to $SHOTS.
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';

const env = process.env;
const base = env.BASE;

function check(condition, message) {
  if (!condition) {
    throw new Error('check failed: ' + message);
  }
  console.log('ok - ' + message);
}

async function shoot(page, name) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `${env.SHOTS}/${name}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${env.SHOTS}/${name}-phone.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `${name} fits a phone's width (overflow ${overflow}px)`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** Keycloak's own login form: fills it in and waits until the browser is back on Gatehouse's landing page. */
async function signInAtKeycloak(page) {
  await page.waitForSelector('#kc-form-login');
  await page.fill('#username', env.KC_USER);
  await page.fill('#password', env.KC_PASSWORD);
  try {
    await Promise.all([page.waitForURL(`${base}/`, { timeout: 30000 }), page.click('#kc-login')]);
  } catch (e) {
    console.log('stopped at ' + page.url() + ':\n' + (await page.content()).slice(0, 2000));
    throw e;
  }
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
    '--no-first-run', '--disable-component-update', '--disable-sync'],
});
const violations = [];
function watch(page) {
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      violations.push(message.text());
    }
  });
  return page;
}

try {
  // 1. An admin signs in with a password.
  const adminContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await adminContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const admin = watch(await adminContext.newPage());
  await admin.goto(`${base}/login`);
  await shoot(admin, 'login');
  await admin.fill('input[name=username]', env.ADMIN_USER);
  await admin.fill('input[name=password]', env.ADMIN_PASSWORD);
  await Promise.all([admin.waitForURL(`${base}/`), admin.click('form[action="/login"] button[type=submit]')]);
  check((await admin.textContent('#who')).includes('Signed in as'), 'the admin lands signed in');
  await shoot(admin, 'home');

  // 2. A bad metadata upload: a readable error, nothing added.
  await admin.goto(`${base}/admin/sso`);
  check(await admin.isVisible('#no-connections'), 'no connection yet');
  await admin.click('summary:has-text("SAML 2.0")');
  await admin.setInputFiles('#add-saml input[name=metadata_file]', env.BAD_METADATA);
  await admin.click('#add-saml button[type=submit]');
  await admin.waitForSelector('.error');
  check((await admin.textContent('.error')).includes('metadata'), 'the error names the metadata');
  check(await admin.isVisible('#no-connections'), 'the bad upload added nothing');
  await shoot(admin, 'admin-sso-error');

  // 3. The IdP's metadata uploaded: its values shown; the ACS URL copied for the IdP.
  await admin.click('summary:has-text("SAML 2.0")');
  await admin.setInputFiles('#add-saml input[name=metadata_file]', env.SAML_METADATA);
  await admin.click('#add-saml button[type=submit]');
  await admin.waitForSelector('.notice');
  check((await admin.textContent('.idp-entity')) === env.SAML_ENTITY_ID, 'the IdP entity ID read from the metadata');
  check((await admin.locator('.fingerprint').count()) >= 1, 'the IdP certificate fingerprint shown');
  await admin.click('button[data-copy=v-acs]');
  const copied = await admin.evaluate(() => navigator.clipboard.readText());
  check(copied === env.ACS_URL, `the copy button copies the ACS URL (${copied})`);
  await shoot(admin, 'admin-sso');

  // 4. A person signs in through /login/sso with the company code: SAML through Keycloak.
  const samlContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const person = watch(await samlContext.newPage());
  await person.goto(`${base}/login`);
  await Promise.all([person.waitForURL(`${base}/login/sso`), person.click('#sso')]);
  await shoot(person, 'login-sso');
  await person.fill('input[name=login]', env.ORG);
  await person.click('form[action="/login/sso"] button[type=submit]');
  await signInAtKeycloak(person);
  check((await person.textContent('#who')).includes(env.ORG_NAME), 'signed in through SAML, in the org');

  // 5. The same with an OpenID Connect connection, made the default.
  await admin.goto(`${base}/admin/sso`);
  await admin.click('summary:has-text("OpenID Connect")');
  await admin.fill('#add-oidc input[name=issuer]', env.OIDC_ISSUER);
  await admin.fill('#add-oidc input[name=client_id]', env.OIDC_CLIENT_ID);
  await admin.fill('#add-oidc input[name=client_secret]', env.OIDC_CLIENT_SECRET);
  await admin.click('#add-oidc button[type=submit]');
  await admin.waitForSelector('.notice');
  await admin.click('article[data-type=oidc] button:has-text("Make default")');
  await admin.waitForSelector('article[data-type=oidc] .badge.ok');
  const oidcContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const other = watch(await oidcContext.newPage());
  await other.goto(`${base}/login/sso`);
  await other.fill('input[name=login]', env.ORG);
  await other.click('form[action="/login/sso"] button[type=submit]');
  await signInAtKeycloak(other);
  check((await other.textContent('#who')).includes(env.ORG_NAME), 'signed in through OpenID Connect, in the org');
  await shoot(other, 'home-oidc');

  // 6. The admin's other pages, and an error page.
  await admin.goto(`${base}/admin/users`);
  check((await admin.textContent('table.list')).includes(env.KC_EMAIL), 'the SSO user is listed');
  await shoot(admin, 'admin-users');
  await admin.goto(`${base}/admin/attempts`);
  check((await admin.locator('tr.success').count()) >= 3, 'the sign-ins are in the log');
  await shoot(admin, 'admin-attempts');
  await other.goto(`${base}/v1/oidc/error?error=access_denied`);
  check((await other.textContent('#attempt')).length > 30, 'the error page shows the attempt id');
  await shoot(other, 'error');

  // 7. Sign out: through Keycloak's end-session endpoint (RP-initiated logout) and back to Gatehouse's login page.
  const passedBy = [];
  other.on('request', request => { if (request.isNavigationRequest()) passedBy.push(request.url()); });
  await Promise.all([other.waitForURL(`${base}/login`, { timeout: 30000 }), other.goto(`${base}/`).then(() => other.click('#logout'))]);
  check(passedBy.some(u => u.includes('/protocol/openid-connect/logout')), 'signed out at the IdP on the way');
  await other.goto(`${base}/`);
  check(other.url() === `${base}/login`, 'signed out: the landing page sends to the login page');
  // Keycloak's own session ended too: signing in again asks for the password.
  await other.goto(`${base}/v1/sso/start?login=${env.ORG}`);
  await other.waitForSelector('#kc-form-login', { timeout: 30000 });
  check(true, 'the IdP asks for the password again');

  // 8. Sign out of a SAML sign-in: a signed LogoutRequest to Keycloak (SAML Single Logout), its LogoutResponse
  //    posted back to Gatehouse's SLO URL, and the login page; Keycloak asks for the password again.
  const sloPassedBy = [];
  person.on('request', request => { if (request.isNavigationRequest()) sloPassedBy.push(request.url()); });
  await Promise.all([person.waitForURL(`${base}/login`, { timeout: 30000 }), person.goto(`${base}/`).then(() => person.click('#logout'))]);
  check(sloPassedBy.some(u => u.includes('/protocol/saml') && u.includes('SAMLRequest=')), 'a LogoutRequest went to the IdP');
  check(sloPassedBy.some(u => u.startsWith(`${base}/v1/saml/${env.ORG}/slo`)), 'the IdP answered at the SLO URL');
  await person.goto(`${base}/`);
  check(person.url() === `${base}/login`, 'signed out of the SAML sign-in');
  await person.goto(`${base}/v1/saml/${env.ORG}`);
  await person.waitForSelector('#kc-form-login', { timeout: 30000 });
  check(true, 'the SAML IdP asks for the password again');

  // 9. Self-service setup: the org's IT admin, with no Gatehouse account, opens the setup link, picks Keycloak,
  //    configures Keycloak with the values the page shows (read from the page), uploads its metadata, runs a
  //    test sign-in, sees what Keycloak sent, activates; then a person signs in from the org's own page.
  const setupContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const it = watch(await setupContext.newPage());
  await it.goto(env.SETUP_URL);
  await it.waitForURL(`${base}/setup`);
  check(!it.url().includes('#'), 'the link\'s secret has left the address bar');
  check((await it.textContent('h1')).includes(env.SETUP_ORG_NAME), 'setup of the link\'s org');
  await shoot(it, 'setup-home');
  await Promise.all([it.waitForURL(`${base}/setup/idp/keycloak-saml`), it.click('a[data-guide=keycloak-saml]')]);
  await shoot(it, 'setup-guide');
  const shown = async (name) => (await it.locator(`code[data-value=${name}]`).first().textContent()).trim();
  const entityId = await shown('entity_id');
  const acs = await shown('acs_url');
  const slo = await shown('slo_url');
  check(entityId === `${base}/v1/saml/${env.SETUP_ORG}`, 'the page shows the org\'s Client ID (SP entity ID)');
  const kcToken = (await (await fetch(`${env.KC_URL}/realms/master/protocol/openid-connect/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: env.KC_ADMIN_USER, password: env.KC_ADMIN_PASSWORD }),
  })).json()).access_token;
  const mapper = (property) => ({ name: property, protocol: 'saml', protocolMapper: 'saml-user-property-mapper',
    config: { 'user.attribute': property, 'attribute.name': property, 'attribute.nameformat': 'Basic' } });
  const created = await fetch(`${env.KC_URL}/admin/realms/${env.SETUP_REALM}/clients`, {
    method: 'POST', headers: { Authorization: `Bearer ${kcToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ clientId: entityId, protocol: 'saml', enabled: true, redirectUris: [acs],
      attributes: { saml_assertion_consumer_url_post: acs, saml_single_logout_service_url_post: slo,
        saml_single_logout_service_url_redirect: slo, 'saml.client.signature': 'false', 'saml.server.signature': 'true',
        'saml.assertion.signature': 'true', saml_force_name_id_format: 'true', saml_name_id_format: 'email' },
      protocolMappers: [mapper('email'), mapper('firstName'), mapper('lastName')] }),
  });
  check(created.status === 201, `Keycloak took the SAML client made from the page's values (${created.status})`);
  const metadataFile = `${env.METADATA_DIR}/setup-idp-metadata.xml`;
  writeFileSync(metadataFile, await (await fetch(`${env.KC_URL}/realms/${env.SETUP_REALM}/protocol/saml/descriptor`)).text());
  await it.setInputFiles('#connection-form input[name=metadata_file]', metadataFile);
  await Promise.all([it.waitForURL(/\/setup\/connections\//), it.click('#connection-form button[type=submit]')]);
  check((await it.textContent('#connection-state')).includes('draft'), 'the connection starts as a draft');
  await shoot(it, 'setup-connection');
  await it.click('#run-test');
  await it.waitForSelector('#kc-form-login', { timeout: 30000 });
  await it.fill('#username', env.KC_USER);
  await it.fill('#password', env.KC_PASSWORD);
  await Promise.all([it.waitForURL(/\/setup\/tests\//, { timeout: 30000 }), it.click('#kc-login')]);
  check((await it.getAttribute('#outcome', 'data-outcome')) === 'create', 'the test sign-in says a person would be created');
  check((await it.textContent('#email')).trim() === env.SETUP_EMAIL, 'and shows the email Keycloak sent');
  check((await it.textContent('#sent')).includes('firstName'), 'and every attribute it sent');
  await shoot(it, 'setup-test');
  await Promise.all([it.waitForURL(/\/setup\/connections\/[^/?]+$/), it.click('#back')]);
  await Promise.all([it.waitForURL(/done=activated/), it.click('#activate-button')]);
  check((await it.textContent('#connection-state')).includes('People of your organization sign in through it'), 'activated');
  const personContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const staff = watch(await personContext.newPage());
  await staff.goto(`${base}/o/${env.SETUP_ORG}`);
  await shoot(staff, 'org-login');
  check((await staff.locator('a[data-connection]').count()) === 1, 'the org\'s page has one button');
  await staff.click('a[data-connection]');
  await signInAtKeycloak(staff);
  check((await staff.textContent('#who')).includes(env.SETUP_ORG_NAME), 'a person signed in from the org\'s own page');

  // 10. The same person in a second account of that SSO configuration: the landing page's switcher.
  const added = await fetch(`${base}/v1/orgs/${env.ACCOUNT_ORG}/members`, {
    method: 'POST', headers: { Authorization: `Bearer ${env.GH_ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: env.SETUP_EMAIL, roles: ['admin'] }),
  });
  check(added.status === 201, `the account's admin adds the person (${added.status})`);
  await staff.goto(`${base}/`);
  check((await staff.locator('#accounts li[data-account]').count()) === 2, 'the landing page lists both accounts');
  await shoot(staff, 'home-accounts');
  await Promise.all([staff.waitForURL(`${base}/`), staff.click(`#accounts li[data-account=${env.ACCOUNT_ORG}] button`)]);
  check((await staff.textContent('#who')).includes(env.ACCOUNT_NAME), 'switched to the other account without signing in again');

  check(violations.length === 0, `no Content-Security-Policy violation (${violations.join(' | ')})`);
} finally {
  await browser.close();
}
