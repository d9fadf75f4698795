// The efficiency report: a webview view in effopt's activity-bar container.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

export class ReportViewProvider implements vscode.WebviewViewProvider {
  static readonly viewId = 'effopt.report';

  constructor(private readonly extensionUri: vscode.Uri) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    const webviewDir = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [webviewDir] };
    view.webview.html = this.html(view.webview, webviewDir);
  }

  private html(webview: vscode.Webview, dir: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dir, 'main.js'));
    const csp = [`default-src 'none'`, `style-src ${webview.cspSource} 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`, `img-src ${webview.cspSource} data:`].join('; ');
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">body{font-family:var(--vscode-font-family);color:var(--vscode-foreground);}</style>
</head><body><main id="root"><p>No efficiency report yet. Run <em>effopt: Optimize Function at Cursor</em>.</p></main>
<script nonce="${nonce}" src="${script}"></script></body></html>`;
  }
}
