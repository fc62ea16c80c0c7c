import { render } from 'preact';
import { App } from './app';
import { initLang, loadMe } from './session';
import './styles.css';

initLang();
void loadMe();
render(<App />, document.getElementById('app')!);
