import { render } from 'preact';
import '@/components/theme.css';
import './studio.css';
import { t } from '@/lib/i18n';
import { installExtensionProviders } from '@/lib/platform/extension';
import { Studio } from './Studio';

installExtensionProviders();
document.title = t('studioTitle');
document.documentElement.lang = t('htmlLang');
render(<Studio />, document.getElementById('app')!);
