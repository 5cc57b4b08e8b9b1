// The forced password change after a first sign-in with a one-time password (user.mustChangePassword).
import { useState, type FormEvent } from 'react';
import { api, describeError } from '../api-client.ts';

export const ChangePassword = ({ onChanged }: { onChanged: () => void }) => {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== repeat) return setError('The two new passwords differ.');
    if (next === current) return setError('Choose a password other than the one-time password.');
    setBusy(true);
    setError(null);
    try {
      await api.changePassword(current, next);
      onChanged();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth-page" data-testid="change-password-page">
      <form className="auth-box" onSubmit={submit}>
        <h1>Choose your password</h1>
        <p className="muted">You signed in with a one-time password. Choose your own before you go on.</p>
        <label>
          Current (one-time) password
          <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required data-testid="password-current" />
        </label>
        <label>
          New password
          <input type="password" autoComplete="new-password" minLength={12} value={next} onChange={(e) => setNext(e.target.value)} required data-testid="password-next" />
          <span className="hint">At least 12 characters; a passphrase is easiest.</span>
        </label>
        <label>
          New password again
          <input type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required data-testid="password-repeat" />
        </label>
        {error !== null && (
          <p className="form-error" role="alert" data-testid="password-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy} data-testid="password-submit">
          Change password
        </button>
      </form>
    </main>
  );
};
