// Before decap-cms.js: jx-admin.js starts the CMS itself, once the generated configuration is loaded.
window.CMS_MANUAL_INIT = true;
