import { useState } from 'preact/hooks';
import { gql } from '../api';
import { t } from '../i18n';
import { Icon } from '../icons';
import { linkClick } from '../router';
import { ME_FIELDS, deviceKeys, signedIn } from '../session';
import type { Me } from '../types';
import { Button, ErrorBox } from '../components/ui';

export function LoginPage() {
  const [identifier, setIdentifier] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const data = await gql<{ login: { token: string; deviceKey: string; person: Me } }>(
        `mutation Login($identifier: String!, $password: String!, $deviceKeys: [String!]) {
          login(identifier: $identifier, password: $password, deviceKeys: $deviceKeys) { token deviceKey person { ${ME_FIELDS} } }
        }`,
        { identifier: identifier.trim(), password, deviceKeys: deviceKeys() },
      );
      await signedIn(data.login.token, data.login.person, data.login.deviceKey);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <section class="page narrow auth-page">
      <h1 class="page-title">
        <Icon name="key" size={28} />
        <span>{t('login.title')}</span>
      </h1>
      <p class="lead">{t('login.intro')}</p>
      <form onSubmit={submit} data-testid="login-form" class="card form">
        <div class="field">
          <label for="login-identifier">{t('login.identifier')}</label>
          <input
            id="login-identifier"
            data-testid="login-identifier"
            name="username"
            dir="auto"
            autoComplete="username"
            autoCapitalize="none"
            spellcheck={false}
            required
            value={identifier}
            onInput={(e) => setIdentifier((e.currentTarget as HTMLInputElement).value)}
          />
          <p class="hint">{t('login.identifierHint')}</p>
        </div>
        <div class="field">
          <label for="login-password">{t('login.password')}</label>
          <input
            id="login-password"
            data-testid="login-password"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <ErrorBox error={error} context="login" />
        <Button type="submit" variant="primary" icon="key" disabled={busy} data-testid="login-submit" class="wide">
          {busy ? t('common.wait') : t('login.submit')}
        </Button>
      </form>
      <p class="aside-link">
        <a href="/invite" onClick={linkClick} data-testid="invite-link">
          <Icon name="ticket" />
          <span>{t('login.haveInvite')}</span>
        </a>
      </p>
      <p class="hint">{t('login.forgot')}</p>
    </section>
  );
}
