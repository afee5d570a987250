// The three elements most pages need, registered one by one: what their bundle costs a consumer.
import '@nas-key-manager/components/define/api-key-table.js';
import '@nas-key-manager/components/define/api-key-form.js';
import '@nas-key-manager/components/define/key-reveal-dialog.js';
