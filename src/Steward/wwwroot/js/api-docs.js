// The API reference (Swagger UI) is not one of Steward's pages: give it a way back to the help page it is opened from.
window.addEventListener('DOMContentLoaded', () => {
  const back = document.createElement('a');
  back.href = '/Help/Api';
  back.textContent = '← Steward';
  back.setAttribute('style', 'display:inline-block;margin:.75rem 1rem 0;font:600 14px system-ui,sans-serif;color:#0b3d5c');
  document.body.prepend(back);
});
