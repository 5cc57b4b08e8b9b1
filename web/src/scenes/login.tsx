// /login: name and password, then the TOTP code when the server asks for it (CS_ERR_TOTP_NEEDED).
// Errors say what to do; the same message for a wrong name and a wrong password, as the server gives it.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, api, describeError } from '../api-client.ts';
import type { Me } from '../api-types.ts';

export const Login = ({ onSignedIn }: { onSignedIn: (me: Me) => void }) => {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (needTotp) totpRef.current?.focus();
  }, [needTotp]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.login(name, password, needTotp ? totp : undefined));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CS_ERR_TOTP_NEEDED') {
        if (needTotp) setError('That code is wrong or expired. Enter the current code from your authenticator app.');
        setNeedTotp(true);
        setTotp('');
      } else if (err instanceof ApiError && err.code === 'CS_ERR_AUTH') setError('Wrong name or password.');
      else if (err instanceof ApiError && err.code === 'CS_ERR_RATE_LIMITED') setError('Too many attempts. Wait a minute, then try again.');
      else setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth-page" data-testid="login-page">
      <form className="auth-box" onSubmit={submit} data-testid="login-form">
        <h1>Sign in to Countersign</h1>
        <label>
          Name
          <input name="name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} required autoFocus data-testid="login-name" />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required data-testid="login-password" />
        </label>
        {needTotp && (
          <label>
            Authenticator code
            <input
              ref={totpRef}
              name="totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6,8}"
              value={totp}
              onChange={(e) => setTotp(e.target.value.trim())}
              required
              data-testid="login-totp"
            />
            <span className="hint">Your password is right; now the 6-digit code from your authenticator app.</span>
          </label>
        )}
        {error !== null && (
          <p className="form-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy} data-testid="login-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
};
