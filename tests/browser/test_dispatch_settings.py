"""The dashboard's tenant settings page, /dispatch#settings (docs/settings.md, docs/web.md).

The real server with the built web bundle and a fresh tenant. In Chromium (dispatch_settings.mjs) the
tenant admin sees the document grouped by section, gets a refused radius explained next to its field,
saves a change and sees it in the history, meets a concurrent save (409: the page reloads and says so),
and previews then saves a notification template and rule.
"""

import unittest

from browser_harness import BrowserTestCase, run_script
from lastmile_server import make_tenant


class DispatchSettingsInTheBrowser(BrowserTestCase):
    pages = ("dispatch.html",)

    def test_a_tenant_admin_edits_the_settings_document(self):
        s = self.server
        admin = make_tenant(s)["api_key"]
        run_script(self, "dispatch_settings.mjs", {"base_url": s.base_url, "api_key": admin}, server=s)


if __name__ == "__main__":
    unittest.main()
