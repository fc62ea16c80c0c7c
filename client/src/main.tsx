import { render } from 'preact';
import { App } from './app';
import { initLang, loadMe } from './session';
import './styles.css';

// The first paint is in the reader's language (its dictionary fetched first), never French first.
void initLang().then(() => render(<App />, document.getElementById('app')!));
void loadMe();
