/** The team's app: reads the session the shell HTML carries inline, then renders. */
import { render } from 'preact';
import { BOOTSTRAP_ELEMENT_ID, type AppBootstrap } from '../../workers/contract';
import { App } from './app';
import { startSession } from './state';
import './app.css';

const bootstrap = JSON.parse(document.getElementById(BOOTSTRAP_ELEMENT_ID)!.textContent) as AppBootstrap;
startSession(bootstrap);
const root = document.getElementById('app')!;
root.textContent = '';
render(<App />, root);
