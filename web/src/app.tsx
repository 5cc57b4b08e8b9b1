// The shell: who is signed in (GET /api/v1/auth/me), the gates an account must pass first (a new password,
// then TOTP enrolment), the top bar and the witness banner, and the page for the current address.
import { useCallback, useEffect, useState } from 'react';
import { api, onUnauthenticated, setCsrf } from './api-client.ts';
import type { Me, User } from './api-types.ts';
import { Link } from './components/link.tsx';
import { TopBar } from './components/top-bar.tsx';
import { WitnessBanner } from './components/witness-banner.tsx';
import { navigate, parseRoute, useLocation } from './router.ts';
import { ChangePassword } from './scenes/change-password.tsx';
import { Dashboard } from './scenes/dashboard.tsx';
import { Login } from './scenes/login.tsx';
import { ReviewQueue } from './scenes/review-queue.tsx';
import { SessionReview } from './scenes/session-review.tsx';
import { TotpEnrol } from './scenes/totp-enrol.tsx';
import { Wall } from './scenes/wall.tsx';
import { startWitness } from './stores/witness-store.ts';

type Auth = { readonly status: 'loading' } | { readonly status: 'signed-out' } | { readonly status: 'signed-in'; readonly me: Me };

/** Where to go after signing in: only a local path the UI itself put in ?next=. */
const nextPath = (search: URLSearchParams): string => {
  const n = search.get('next');
  return n !== null && n.startsWith('/') && !n.startsWith('//') && !n.startsWith('/login') ? n : '/';
};

export const App = () => {
  const [auth, setAuth] = useState<Auth>({ status: 'loading' });
  const { pathname, search } = useLocation();
  const route = parseRoute(pathname);
  const next = nextPath(search);

  const signedIn = useCallback((me: Me) => {
    setCsrf(me.csrf);
    setAuth({ status: 'signed-in', me });
  }, []);
  const signedOut = useCallback(() => {
    setCsrf(null);
    setAuth({ status: 'signed-out' });
  }, []);

  useEffect(() => {
    api.me().then(signedIn, signedOut);
    return onUnauthenticated(signedOut);
  }, [signedIn, signedOut]);

  // Signed out anywhere but /login: go there, and come back afterwards.
  useEffect(() => {
    if (auth.status === 'signed-out' && route.page !== 'login') {
      const here = `${window.location.pathname}${window.location.search}`;
      navigate(here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`, { replace: true });
    }
    if (auth.status === 'signed-in' && route.page === 'login') navigate(next, { replace: true });
  }, [auth.status, route.page, next]);

  // The witness asks the log (viewer routes) once the account has passed its gates.
  const me = auth.status === 'signed-in' ? auth.me.user : null;
  const ready = me !== null && !me.mustChangePassword && !(me.totpRequired && !me.totpEnabled);
  useEffect(() => (ready ? startWitness() : undefined), [ready]);

  if (auth.status === 'loading') return <div className="loading-page">Loading…</div>;
  if (auth.status === 'signed-out') return <Login onSignedIn={signedIn} />;

  const { user } = auth.me;
  const updateUser = (u: User) => setAuth({ status: 'signed-in', me: { ...auth.me, user: u } });
  const refresh = () => api.me().then(signedIn, signedOut);
  const signOut = () => {
    void api.logout().finally(() => {
      signedOut();
      navigate('/login', { replace: true });
    });
  };

  let page;
  if (user.mustChangePassword) page = <ChangePassword onChanged={refresh} />;
  else if (user.totpRequired && !user.totpEnabled) page = <TotpEnrol onEnabled={updateUser} />;
  else if (route.page === 'queue') page = <ReviewQueue />;
  else if (route.page === 'session') page = <SessionReview key={route.id} id={route.id} />;
  else if (route.page === 'dashboard') page = <Dashboard />;
  else if (route.page === 'wall')
    // The wall display fills the screen: no top bar, but the witness banner still shows if the log is not what it was.
    return (
      <div className="app wall-app">
        <WitnessBanner />
        <Wall />
      </div>
    );
  else if (route.page === 'login') page = <div className="loading-page">Signed in…</div>;
  else
    page = (
      <main className="page">
        <h1>Not found</h1>
        <p>
          There is no page at this address. <Link to="/">Back to the review queue</Link>.
        </p>
      </main>
    );

  return (
    <div className="app">
      <TopBar user={user} onSignOut={signOut} />
      <WitnessBanner />
      {page}
    </div>
  );
};
