// Entry point of the review UI: mounts <App/> into #root. Nothing else runs at load time.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import './styles/base.css';
import './styles/auth.css';
import './styles/queue.css';
import './styles/session.css';
import './styles/player.css';

const root = document.getElementById('root');
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
