// The bar on every signed-in page: the product name (back to the queue), the log status, who is signed in, sign-out.
import type { User } from '../api-types.ts';
import { Hostile } from './hostile.tsx';
import { Link } from './link.tsx';
import { LogStatus } from './log-status.tsx';

export const TopBar = ({ user, onSignOut }: { user: User; onSignOut: () => void }) => (
  <header className="top-bar" data-testid="top-bar">
    <Link to="/" className="brand">
      Countersign
    </Link>
    <nav className="top-nav">
      <Link to="/" testId="nav-queue">
        Review queue
      </Link>
      <Link to="/dashboard" testId="nav-dashboard">
        Dashboard
      </Link>
    </nav>
    <div className="top-bar-right">
      <LogStatus />
      <span className="top-user" data-testid="current-user">
        <Hostile text={user.name} /> <span className="role">{user.role}</span>
      </span>
      <button type="button" className="sign-out" onClick={onSignOut} data-testid="sign-out">
        Sign out
      </button>
    </div>
  </header>
);
