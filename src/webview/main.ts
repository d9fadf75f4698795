// The report UI, running inside the webview. Rendering arrives with the report protocol.
const root = document.getElementById('root');
if (root) root.dataset.ready = 'true';
