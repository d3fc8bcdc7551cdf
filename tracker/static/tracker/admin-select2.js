// The admin's record pickers (Select2) for screen readers: each search box named after its field, and the
// "remove all" button moved out of the list of chosen records, which may hold only its items.
'use strict';
{
    const mend = (container) => {
        const select = container.previousElementSibling;
        const label = select && document.querySelector(`label[for="${select.id}"]`);
        const name = select && (select.getAttribute('aria-label') || label?.textContent.replace(/:\s*$/, ''));
        container.querySelectorAll('.select2-search__field').forEach((box) => name && box.setAttribute('aria-label', name));
        container.querySelectorAll('ul.select2-selection__rendered > .select2-selection__clear').forEach((clear) => {
            clear.closest('.select2-selection').prepend(clear);
        });
    };
    const mendAll = () => document.querySelectorAll('.select2-container').forEach(mend);
    window.addEventListener('load', () => {
        mendAll();
        new MutationObserver(mendAll).observe(document.body, {childList: true, subtree: true});
    });
}
