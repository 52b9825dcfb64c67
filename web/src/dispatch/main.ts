// The dispatcher dashboard's placeholder (the dashboard itself is issue 6's second part).
import '../shared/base.css';
import { translateDocument } from '../i18n';

translateDocument();
