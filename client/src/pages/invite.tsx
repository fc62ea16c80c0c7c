import { useState } from 'preact/hooks';
import { gql } from '../api';
import { t } from '../i18n';
import { Icon } from '../icons';
import { linkClick, route } from '../router';
import { ME_FIELDS, signedIn } from '../session';
import type { Me } from '../types';
import { Button, ErrorBox } from '../components/ui';

const MIN_PASSWORD = 8;

export function InvitePage() {
  const [code, setCode] = useState(route.get().query.get('code') ?? '');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    if (code.trim() === '') return setLocalError(t('invite.codeMissing'));
    if (password.length < MIN_PASSWORD) return setLocalError(t('invite.tooShort', { n: MIN_PASSWORD }));
    if (password !== again) return setLocalError(t('invite.notSame'));
    setLocalError(null);
    setBusy(true);
    try {
      const data = await gql<{ redeemInvite: { token: string; deviceKey: string; person: Me } }>(
        `mutation Redeem($code: String!, $password: String!) {
          redeemInvite(code: $code, password: $password) { token deviceKey person { ${ME_FIELDS} } }
        }`,
        { code: code.trim(), password },
      );
      await signedIn(data.redeemInvite.token, data.redeemInvite.person, data.redeemInvite.deviceKey);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <section class="page narrow auth-page">
      <h1 class="page-title">
        <Icon name="ticket" size={28} />
        <span>{t('invite.title')}</span>
      </h1>
      <p class="lead">{t('invite.intro')}</p>
      <form onSubmit={submit} class="card form" data-testid="invite-form" noValidate>
        <div class="field">
          <label for="invite-code">{t('invite.code')}</label>
          <input
            id="invite-code"
            data-testid="invite-code"
            autoComplete="one-time-code"
            autoCapitalize="characters"
            spellcheck={false}
            required
            value={code}
            onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="invite-password">{t('invite.password')}</label>
          <input
            id="invite-password"
            data-testid="invite-password"
            type="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD}
            value={password}
            onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
          />
          <p class="hint">{t('invite.passwordHint', { n: MIN_PASSWORD })}</p>
        </div>
        <div class="field">
          <label for="invite-again">{t('invite.again')}</label>
          <input
            id="invite-again"
            data-testid="invite-again"
            type="password"
            autoComplete="new-password"
            required
            value={again}
            onInput={(e) => setAgain((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        {localError ? (
          <div data-testid="error" class="error-area msg msg-error" role="alert">
            <Icon name="alert" />
            <p>{localError}</p>
          </div>
        ) : (
          <ErrorBox error={error} context="invite" />
        )}
        <Button type="submit" variant="primary" icon="check" disabled={busy} data-testid="invite-submit" class="wide">
          {busy ? t('common.wait') : t('invite.submit')}
        </Button>
      </form>
      <p class="aside-link">
        <a href="/login" onClick={linkClick}>
          <Icon name="key" />
          <span>{t('invite.backToLogin')}</span>
        </a>
      </p>
    </section>
  );
}
