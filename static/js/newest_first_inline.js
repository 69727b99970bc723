'use strict';
// Status updates on an initiative's page are listed newest first, so a new one is
// added at the top, above the saved ones (Django's own inline script adds rows at
// the bottom, and numbers every row by its place on the page). Here the saved rows
// keep their form numbers; new rows are numbered after them, in the order shown,
// and numbered again when one is removed. Reading the page needs no script.
{
    const setIndex = function(row, prefix, index) {
        const numbered = new RegExp('(' + prefix + '-(\\d+|__prefix__))');
        const replacement = prefix + '-' + index;
        for (const element of row.querySelectorAll('*')) {
            for (const attribute of ['id', 'name', 'for']) {
                const value = element.getAttribute(attribute);
                if (value) {
                    element.setAttribute(attribute, value.replace(numbered, replacement));
                }
            }
        }
        row.id = replacement;
    };

    const init = function(group) {
        const options = JSON.parse(group.dataset.inlineFormset).options;
        const prefix = options.prefix;
        const total = document.getElementById('id_' + prefix + '-TOTAL_FORMS');
        const initial = parseInt(document.getElementById('id_' + prefix + '-INITIAL_FORMS').value, 10);
        const maxForms = document.getElementById('id_' + prefix + '-MAX_NUM_FORMS').value;
        const template = document.getElementById(prefix + '-empty');
        const newRows = group.querySelector('.new-rows');
        const adder = group.querySelector('.newest-first-add');
        if (!template || !newRows || !adder) {
            return;
        }
        const renumber = function() {
            const rows = newRows.querySelectorAll(':scope > .inline-related');
            rows.forEach(function(row, n) {
                setIndex(row, prefix, initial + n);
            });
            total.value = initial + rows.length;
            adder.hidden = maxForms !== '' && initial + rows.length >= parseInt(maxForms, 10);
        };
        const addRemoveLink = function(row) {
            const link = document.createElement('a');
            link.href = '#';
            link.setAttribute('role', 'button');
            link.className = 'inline-deletelink';
            link.textContent = options.deleteText;
            link.addEventListener('click', function(event) {
                event.preventDefault();
                row.remove();
                renumber();
            });
            row.querySelector('h3').append(link);
        };
        newRows.querySelectorAll(':scope > .inline-related').forEach(addRemoveLink);
        adder.querySelector('a').textContent = options.addText;
        adder.querySelector('a').addEventListener('click', function(event) {
            event.preventDefault();
            const row = template.cloneNode(true);
            row.classList.remove('empty-form');
            newRows.prepend(row);
            addRemoveLink(row);
            renumber();
            row.dispatchEvent(new CustomEvent('formset:added', {bubbles: true, detail: {formsetName: prefix}}));
            const first = row.querySelector('input:not([type=hidden]), select, textarea');
            if (first) {
                first.focus();
            }
        });
        renumber();
    };

    document.addEventListener('DOMContentLoaded', function() {
        document.querySelectorAll('.js-inline-admin-formset[data-inline-type="newest-first"]').forEach(init);
    });
}
