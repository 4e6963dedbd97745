import { render } from 'preact';
import '@/components/theme.css';
import './library.css';
import { t } from '@/lib/i18n';
import { Library } from './Library';

document.title = t('libraryTitle');
document.documentElement.lang = t('htmlLang');
render(<Library />, document.getElementById('app')!);
