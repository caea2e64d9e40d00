// The kiosk's print button: the browser's print dialog prints the ticket card only (d-print-none hides the rest).
document.querySelectorAll('[data-print]').forEach(b => b.addEventListener('click', () => window.print()));
