// TOTP enrolment, shown when the account must have a second factor and has none (totpRequired && !totpEnabled).
// The secret and the otpauth URI are shown as text to type or paste into an authenticator app: no QR code
// library and no image from elsewhere, so the page works offline and under a strict CSP.
import { useEffect, useState, type FormEvent } from 'react';
import { api, describeError } from '../api-client.ts';
import type { User } from '../api-types.ts';
import { Hostile } from '../components/hostile.tsx';

export const TotpEnrol = ({ onEnabled }: { onEnabled: (user: User) => void }) => {
  const [setup, setSetup] = useState<{ secret: string; uri: string } | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    api.totpSetup().then(
      (s) => live && setSetup(s),
      (e: unknown) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onEnabled((await api.totpEnable(code)).user);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const grouped = setup?.secret.replace(/(.{4})/g, '$1 ').trim() ?? '';
  return (
    <main className="auth-page" data-testid="totp-enrol-page">
      <form className="auth-box wide" onSubmit={submit}>
        <h1>Set up your second factor</h1>
        <p className="muted">Reviewers and admins sign in with a code from an authenticator app (TOTP). Add this account to your app, then enter the code it shows.</p>
        {setup === null ? (
          error === null && <p>Preparing a secret…</p>
        ) : (
          <>
            <label>
              Secret (type it into the app)
              <code className="secret" data-testid="totp-secret">
                <Hostile text={grouped} />
              </code>
            </label>
            <label>
              Or paste this otpauth URI
              <code className="secret" data-testid="totp-uri">
                <Hostile text={setup.uri} />
              </code>
            </label>
            <label>
              Code from the app
              <input inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6,8}" value={code} onChange={(e) => setCode(e.target.value.trim())} required autoFocus data-testid="totp-code" />
            </label>
          </>
        )}
        {error !== null && (
          <p className="form-error" role="alert" data-testid="totp-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || setup === null} data-testid="totp-submit">
          Turn on two-factor sign-in
        </button>
      </form>
    </main>
  );
};
